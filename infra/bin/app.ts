/**
 * The CDK app: the sample service guarded by fitgate. `npm run synth` needs neither AWS credentials
 * nor Docker. `-c release=2` changes both functions, so the next deploy is a gated deployment.
 */
import { App } from 'aws-cdk-lib';
import { SampleServiceStack } from '../lib/sample-service-stack.ts';

const app = new App();
const release: unknown = app.node.tryGetContext('release');

new SampleServiceStack(app, 'FitgateSample', {
  description:
    'fitgate sample service: two functions behind API Gateway, released through CodeDeploy and the FitnessGate',
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  ...(release === undefined ? {} : { release: String(release) }),
});

app.synth();
