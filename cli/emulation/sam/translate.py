"""
The AWS::Serverless-2016-10-31 transform for fitgate's emulator: AWS's own SAM translator (the Python
package aws-sam-translator) run as CloudFormation runs it, fed on stdin, answering on stdout.

  stdin   {"template": {...}, "parameters": {...}, "region": "...", "accountId": "...", "partition": "..."}
  stdout  {"template": {...}, "version": "1.110.0"}            exit 0
          {"error": "one line", "kind": "invalid" | "missing" | "internal"}   exit 1 | 2 | 3
  --version  answers {"version": "..."} (or the "missing" error), reading nothing

Metadata is not passed through to the generated resources (passthrough_metadata off, as in the
transform CloudFormation hosts), so the processed template is what CloudFormation would keep:
https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/transform-aws-serverless.html
"""
import contextlib
import json
import logging
import sys
import types

EXIT_INVALID, EXIT_MISSING, EXIT_INTERNAL = 1, 2, 3


def answer(payload, code=0):
    sys.stdout.write(json.dumps(payload))
    sys.stdout.flush()
    sys.exit(code)


def fail(kind, message, code):
    answer({"error": " ".join(str(message).split()), "kind": kind}, code)


try:
    import samtranslator
    from samtranslator.model.exceptions import InvalidDocumentException
    from samtranslator.parser.parser import Parser
    from samtranslator.translator.translator import Translator
except ImportError as error:
    fail("missing", f"{error.name or error}", EXIT_MISSING)

logging.getLogger("samtranslator").setLevel(logging.CRITICAL)

if sys.argv[1:] == ["--version"]:
    answer({"version": samtranslator.__version__})

try:
    request = json.load(sys.stdin)
    template = request["template"]
    region = request["region"]
    # The pseudo parameters CloudFormation hands its transform, so generated ARNs name the emulator's
    # account, region and partition; the stack's parameter values resolve AutoPublishAlias and the like.
    parameters = {
        **request.get("parameters", {}),
        "AWS::AccountId": request["accountId"],
        "AWS::Region": region,
        "AWS::Partition": request["partition"],
    }
except (ValueError, KeyError, TypeError) as error:
    fail("internal", f"bad request to the SAM translator: {error}", EXIT_INTERNAL)

try:
    # The translator prints notices (feature toggles) on stdout; stdout carries only the answer.
    with contextlib.redirect_stdout(sys.stderr):
        # The translator reads only the session's region; a real boto3 session would read the
        # machine's AWS profile (and fail on one that does not exist), which has no say here.
        translator = Translator(
            managed_policy_map=None,
            sam_parser=Parser(),
            boto_session=types.SimpleNamespace(region_name=region),
        )
        processed = translator.translate(sam_template=template, parameter_values=parameters)
except InvalidDocumentException as error:
    fail("invalid", "; ".join(cause.message for cause in error.causes) or error.message, EXIT_INVALID)
except Exception as error:  # noqa: BLE001 - any translator failure is one line for the user
    fail("internal", f"{type(error).__name__}: {error}", EXIT_INTERNAL)

answer({"template": processed, "version": samtranslator.__version__})
