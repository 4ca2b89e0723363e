import { listParam } from '../evaluators/params.ts';
import type { CheckRule } from '../types.ts';
import type { ApiGatewayClients } from './clients.ts';
import { loadStage } from './stage.ts';

/** PASS when a WAF web ACL is associated with the stage (and is one of `WebAclArns`, when given). */
export const apiGwAssociatedWithWaf: CheckRule<ApiGatewayClients> = async (context) => {
  const { identity, stage } = await loadStage(context);
  const webAclArn = stage.webAclArn;
  if (!webAclArn) {
    return { status: 'FAIL', message: 'no WAF web ACL is associated with the stage', evidence: identity };
  }
  const allowed = listParam(context.params.WebAclArns);
  if (allowed.length > 0 && !allowed.includes(webAclArn)) {
    return {
      status: 'FAIL',
      message: `the stage is protected by web ACL ${webAclArn}, which is not one of the allowed web ACLs`,
      evidence: { ...identity, webAclArn },
    };
  }
  return {
    status: 'PASS',
    message: `web ACL ${webAclArn} protects the stage`,
    evidence: { ...identity, webAclArn },
  };
};
