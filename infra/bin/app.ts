/**
 * The CDK app: the sample service guarded by fitgate. `npm run synth` needs neither AWS credentials
 * nor Docker. `-c release=2` changes both functions, so the next deploy is a gated deployment.
 *
 * `-c gate=shared` synthesizes the platform-team layout instead: one shared gate in a stack of its
 * own (FitgateGate, gate name `fitgate`), guarding the sample service and the SAM sample
 * (samples/sam/template.yaml, deployed as fitgate-sam-sample).
 */
import { App, Stack } from 'aws-cdk-lib';
import { FitnessGate } from '../lib/fitness-gate.ts';
import { SampleServiceStack } from '../lib/sample-service-stack.ts';

const app = new App();
const release: unknown = app.node.tryGetContext('release');
const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };

let sharedGate: FitnessGate | undefined;
if (app.node.tryGetContext('gate') === 'shared') {
  const gateStack = new Stack(app, 'FitgateGate', {
    description: 'fitgate: the shared fitness gate of this account and region',
    env,
  });
  sharedGate = new FitnessGate(gateStack, 'FitnessGate', {
    gateName: 'fitgate',
    guardedStacks: ['FitgateSample', 'fitgate-sam-sample'],
  });
}

new SampleServiceStack(app, 'FitgateSample', {
  description:
    'fitgate sample service: two functions behind API Gateway, released through CodeDeploy and the FitnessGate',
  env,
  ...(release === undefined ? {} : { release: String(release) }),
  ...(sharedGate ? { sharedGate } : {}),
});

app.synth();
