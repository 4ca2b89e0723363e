/** Errors shaped like the SDK's service exceptions, for the named SDK mocks (moto does not enforce IAM). */
export function serviceError(name: string, httpStatusCode: number, message = name): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode } });
}

export const accessDenied = (name = 'AccessDeniedException') =>
  serviceError(name, 403, 'User: arn:aws:sts::123456789012:assumed-role/auditor is not authorized');
