import type { SignUp } from '@qicai/db';
import { liveTopic } from '../../shared/live.ts';
import type { RequestContext } from '../../shared/context.ts';

/** What subscribers of an activity's attendance are sent: which sign-up changed (they read it fresh). */
export interface AttendanceEvent {
  signUpId: string;
}

export function attendanceTopic(orgId: string, activityId: string): string {
  return liveTopic(orgId, 'attendance', activityId);
}

/** Tells the activity's live views that a sign-up changed; call after the change has committed. */
export function publishAttendance(ctx: RequestContext, signUp: SignUp): void {
  const payload: AttendanceEvent = { signUpId: signUp.id };
  ctx.publish({ topic: attendanceTopic(signUp.orgId, signUp.activityId), payload });
}
