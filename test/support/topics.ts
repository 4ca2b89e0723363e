/** SNS topics for the SNS checks. */
import { CreateTopicCommand, SetTopicAttributesCommand, type SNSClient } from '@aws-sdk/client-sns';

export const topicResource = (topicArn: string) => ({
  logicalId: 'OrdersTopic',
  physicalId: topicArn,
  type: 'AWS::SNS::Topic',
});

export async function createTopic(
  sns: SNSClient,
  name: string,
  attributes: Record<string, string> = {},
): Promise<string> {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name, Attributes: attributes }));
  return String(TopicArn);
}

export async function setTopicPolicy(
  sns: SNSClient,
  topicArn: string,
  statements: Record<string, unknown>[],
) {
  await sns.send(
    new SetTopicAttributesCommand({
      TopicArn: topicArn,
      AttributeName: 'Policy',
      AttributeValue: JSON.stringify({
        Version: '2012-10-17',
        Statement: statements.map((statement) => ({ Resource: topicArn, ...statement })),
      }),
    }),
  );
}
