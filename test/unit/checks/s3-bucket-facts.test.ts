import { describe, expect, it } from 'vitest';
import { regionOfLocation, unlessNotConfigured } from '../../../functions/checks/s3/bucket-facts.ts';
import { serviceError } from '../../support/service-errors.ts';

describe('regionOfLocation', () => {
  it.each([
    [undefined, 'us-east-1'],
    [null, 'us-east-1'],
    ['', 'us-east-1'],
    ['EU', 'eu-west-1'],
    ['eu-west-1', 'eu-west-1'],
    ['ap-southeast-2', 'ap-southeast-2'],
  ])('reads LocationConstraint %s as %s', (constraint, region) => {
    expect(regionOfLocation(constraint)).toBe(region);
  });
});

describe('unlessNotConfigured', () => {
  it('passes an answer through', async () => {
    await expect(
      unlessNotConfigured(Promise.resolve({ Policy: '{}' }), 'NoSuchBucketPolicy'),
    ).resolves.toEqual({
      Policy: '{}',
    });
  });

  it('turns a named "not configured" error into undefined', async () => {
    const load = Promise.reject(serviceError('NoSuchBucketPolicy', 404));

    await expect(unlessNotConfigured(load, 'NoSuchBucketPolicy')).resolves.toBeUndefined();
  });

  it('rethrows every other error, NotFound of another kind and AccessDenied alike', async () => {
    await expect(
      unlessNotConfigured(Promise.reject(serviceError('NoSuchBucket', 404)), 'NoSuchBucketPolicy'),
    ).rejects.toThrow('NoSuchBucket');
    await expect(
      unlessNotConfigured(Promise.reject(serviceError('AccessDenied', 403)), 'NoSuchBucketPolicy'),
    ).rejects.toThrow('AccessDenied');
  });
});
