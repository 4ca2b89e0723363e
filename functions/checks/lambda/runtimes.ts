/**
 * Lambda's managed runtimes and their deprecation dates, from the Lambda runtimes page
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html#runtimes-supported), as of
 * RUNTIMES_REVIEWED. After its deprecation date a runtime gets no more security patches, so
 * `lambda-function-settings-check` allows by default only the runtimes not yet deprecated on the
 * review date. The runtimes on Amazon Linux 2 (java17, python3.11, provided.al2) keep receiving
 * patches past AL2's end of life (2026-06-30), as the page's note says, until the dates below.
 * Review this table when the page changes; the test pins the review date.
 */
export const RUNTIMES_REVIEWED = '2026-12-01';

export interface ManagedRuntime {
  readonly identifier: string;
  /** The page's "Deprecation date" (ISO). */
  readonly deprecation: string;
}

export const MANAGED_RUNTIMES: readonly ManagedRuntime[] = [
  { identifier: 'nodejs24.x', deprecation: '2028-04-30' },
  { identifier: 'nodejs22.x', deprecation: '2027-04-30' },
  { identifier: 'nodejs20.x', deprecation: '2026-04-30' },
  { identifier: 'nodejs18.x', deprecation: '2025-09-01' },
  { identifier: 'python3.14', deprecation: '2029-06-30' },
  { identifier: 'python3.13', deprecation: '2029-06-30' },
  { identifier: 'python3.12', deprecation: '2028-10-31' },
  { identifier: 'python3.11', deprecation: '2027-06-30' },
  { identifier: 'python3.10', deprecation: '2026-10-31' },
  { identifier: 'python3.9', deprecation: '2025-12-15' },
  { identifier: 'java25', deprecation: '2029-06-30' },
  { identifier: 'java21', deprecation: '2029-06-30' },
  { identifier: 'java17', deprecation: '2027-06-30' },
  { identifier: 'java11', deprecation: '2026-06-30' },
  { identifier: 'java8.al2', deprecation: '2026-06-30' },
  { identifier: 'dotnet10', deprecation: '2028-11-14' },
  { identifier: 'dotnet8', deprecation: '2026-11-10' },
  { identifier: 'ruby3.4', deprecation: '2028-03-31' },
  { identifier: 'ruby3.3', deprecation: '2027-03-31' },
  { identifier: 'ruby3.2', deprecation: '2026-03-31' },
  { identifier: 'provided.al2023', deprecation: '2029-06-30' },
  { identifier: 'provided.al2', deprecation: '2027-06-30' },
];

/** The runtimes not deprecated on `date` (ISO), newest families first as listed. */
export function supportedRuntimes(date: string = RUNTIMES_REVIEWED): string[] {
  return MANAGED_RUNTIMES.filter((runtime) => runtime.deprecation > date).map(
    (runtime) => runtime.identifier,
  );
}

/** The deprecation date of a runtime, if Lambda has published one. */
export function deprecationOf(identifier: string): string | undefined {
  return MANAGED_RUNTIMES.find((runtime) => runtime.identifier === identifier)?.deprecation;
}
