import { GraphQLScalarType, Kind } from 'graphql';
import type { MercuriusContext } from 'mercurius';
import type { Resolvers } from '../../__generated__/resolvers.ts';
import { requireOrganization } from '../../shared/access.ts';
import * as checkIns from './check-in.ts';
import type { AttendanceEvent } from './events.ts';
import { parseRrule } from './recurrence.ts';
import * as activities from './service.ts';
import * as signUps from './sign-ups.ts';
import { attendanceSignUp, subscribeToAttendance } from './subscriptions.ts';
import { parseWallTime } from '../../kernel/time.ts';

function readLocalDateTime(value: unknown): string {
  if (typeof value !== 'string' || !parseWallTime(value)) {
    throw new TypeError('LocalDateTime must be YYYY-MM-DDTHH:mm');
  }
  return value.trim().slice(0, 16);
}

/** Wall times, checked here; a form's bad input becomes a field error in the service instead. */
const LocalDateTime = new GraphQLScalarType<string, string>({
  name: 'LocalDateTime',
  serialize: (value) => String(value),
  parseValue: (value) => (typeof value === 'string' ? value : readLocalDateTime(value)),
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new TypeError('LocalDateTime must be a string');
    return ast.value;
  },
});

export const resolvers: Resolvers = {
  LocalDateTime,
  Query: {
    activity: (_root, { id }, ctx) => activities.getActivity(ctx, id),
    activities: (_root, args, ctx) => activities.listActivities(ctx, args),
    activitySeries: (_root, { id }, ctx) => activities.getSeries(ctx, id),
  },
  Mutation: {
    createActivity: (_root, { input }, ctx) => activities.createActivity(ctx, input),
    updateActivity: (_root, { id, input, scope }, ctx) => activities.updateActivity(ctx, id, input, scope),
    publishActivity: (_root, { id, scope }, ctx) => activities.publishActivity(ctx, id, scope),
    cancelActivity: (_root, { id, reason, scope }, ctx) => activities.cancelActivity(ctx, id, reason, scope),
    completeActivity: (_root, { id, beneficiaries }, ctx) => activities.completeActivity(ctx, id, beneficiaries),
    regenerateSeries: (_root, { id }, ctx) => activities.regenerateSeries(ctx, id),
    signUp: (_root, { activityId }, ctx) => signUps.signUp(ctx, activityId),
    cancelSignUp: (_root, { activityId }, ctx) => signUps.cancelSignUp(ctx, activityId),
    checkIn: (_root, { input }, ctx) => checkIns.checkIn(ctx, input),
    checkOut: (_root, { input }, ctx) => checkIns.checkOut(ctx, input),
    undoCheckOut: (_root, { signUpId }, ctx) => checkIns.undoCheckOut(ctx, signUpId),
    markAttendance: (_root, { signUpId, attendance }, ctx) => signUps.markAttendance(ctx, signUpId, attendance),
    updateCheckInRules: (_root, { input }, ctx) => activities.updateCheckInRules(ctx, input),
  },
  Subscription: {
    attendanceChanged: {
      subscribe: (_root, { activityId }, ctx) => subscribeToAttendance(ctx, activityId),
      resolve: (event: AttendanceEvent, _args: unknown, ctx: MercuriusContext) => attendanceSignUp(ctx, event),
    },
  },
  Organization: {
    checkInRules: (organization) => activities.checkInRules(organization),
  },
  Activity: {
    startsAtLocal: (activity, _args, ctx) => activities.localTimeOf(ctx, activity.startsAt),
    endsAtLocal: (activity, _args, ctx) => activities.localTimeOf(ctx, activity.endsAt),
    checkInOpensAt: (activity, _args, ctx) => activities.checkInWindow(requireOrganization(ctx), activity).opensAt,
    checkInClosesAt: (activity, _args, ctx) => activities.checkInWindow(requireOrganization(ctx), activity).closesAt,
    checkInCode: (activity, _args, ctx) => checkIns.checkInCode(ctx, activity),
  },
  SignUp: {
    checkOutUndoableUntil: (signUp) => checkIns.checkOutUndoableUntil(signUp),
  },
  ActivitySeries: {
    recurrence: (series, _args, ctx) =>
      activities.recurrenceView(parseRrule(series.rrule, requireOrganization(ctx).timeZone)),
    startsAtLocal: (series) => series.startsLocal,
  },
};
