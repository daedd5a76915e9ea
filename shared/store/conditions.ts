import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';

/** A conditional write whose condition did not hold: not an error where the condition is the point. */
export function isConditionFailure(error: unknown): boolean {
  return error instanceof ConditionalCheckFailedException || (error as Error)?.name === 'ConditionalCheckFailedException';
}

/** Runs a conditional write: true when it was written, false when its condition did not hold. */
export async function writtenIf(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}
