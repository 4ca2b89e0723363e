/** The sample service's first function (the system under evolution, not fitgate's code). */
import type { APIGatewayProxyResult } from 'aws-lambda';

export const handler = async (): Promise<APIGatewayProxyResult> => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ function: 'myFirstFunction', release: process.env.RELEASE ?? '1' }),
});
