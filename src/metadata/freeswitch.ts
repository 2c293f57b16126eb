import type { HangupBy } from '../model/call.js';
import { InputProblem, msg } from '../ingest/errors.js';
import { isRecord } from '../ingest/format.js';
import type { CallFacts, MetadataOptions } from './record.js';

/** FreeSWITCH mod_json_cdr record: a `variables` block with the leg's uuid. */
export function isFreeswitchCdr(value: Record<string, unknown>): boolean {
  return isRecord(value.variables) && (typeof value.variables.uuid === 'string' || typeof value.variables.call_uuid === 'string');
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Seconds between two moments, from µs epochs, else s epochs, else local wall-clock stamps. */
function elapsed(v: Record<string, unknown>, from: string, to: string): number | undefined {
  const us = [Number(v[`${from}_uepoch`]), Number(v[`${to}_uepoch`])];
  if (us.every((n) => Number.isFinite(n) && n > 0)) return ((us[1] as number) - (us[0] as number)) / 1e6;
  const s = [Number(v[`${from}_epoch`]), Number(v[`${to}_epoch`])];
  if (s.every((n) => Number.isFinite(n) && n > 0)) return (s[1] as number) - (s[0] as number);
  const stamps = [str(v[`${from}_stamp`]), str(v[`${to}_stamp`])].map((t) => (t ? Date.parse(t.replace(' ', 'T')) : Number.NaN));
  if (stamps.every((n) => Number.isFinite(n))) return ((stamps[1] as number) - (stamps[0] as number)) / 1000;
  return undefined;
}

/**
 * Which way this record's leg runs: its `direction` variable, else its bridge role (the
 * originator is the leg that came in and was bridged out, the inbound A-leg).
 */
function legDirection(v: Record<string, unknown>): 'inbound' | 'outbound' | undefined {
  if (v.direction === 'inbound' || v.direction === 'outbound') return v.direction;
  if (v.last_bridge_role === 'originator') return 'inbound';
  if (v.last_bridge_role === 'originatee') return 'outbound';
  return undefined;
}

/**
 * CDR → call facts. `sip_hangup_disposition` is read on the customer's leg: `recv_bye` there means
 * the customer sent BYE (hung up first), `send_bye` that the switch sent it because the agent side
 * ended the call. On the agent's leg it is the other way round. Ring time = answer − start.
 */
export function factsFromFreeswitch(cdr: Record<string, unknown>, options: MetadataOptions): { ids: string[]; facts: CallFacts } {
  const v = cdr.variables as Record<string, unknown>;
  const facts: CallFacts = { hangupBy: 'unknown' };
  const leg = legDirection(v);
  const disposition = str(v.sip_hangup_disposition);
  if (leg !== undefined && (disposition === 'recv_bye' || disposition === 'send_bye')) {
    const onCustomerLeg = leg === options.customerLeg;
    const customerSentBye = (disposition === 'recv_bye') === onCustomerLeg;
    facts.hangupBy = (customerSentBye ? 'customer' : 'agent') satisfies HangupBy;
  }
  const ring = elapsed(v, 'start', 'answer');
  if (ring !== undefined && ring >= 0) facts.ringSeconds = ring;
  const startUs = Number(v.start_uepoch);
  if (Number.isFinite(startUs) && startUs > 0) {
    const start = new Date(startUs / 1000);
    // Past the year 275760 a Date has no ISO form (toISOString throws): say so, as for any bad field.
    if (Number.isNaN(start.getTime())) {
      const problem = msg('metadata.microseconds', { value: String(JSON.stringify(v.start_uepoch)) });
      throw new InputProblem(msg('input.at-path', { path: 'variables.start_uepoch', problem }));
    }
    facts.startedAt = start.toISOString();
  } else if (str(v.start_stamp)) facts.startedAt = (v.start_stamp as string).replace(' ', 'T');
  // mod_callcenter sets cc_agent (the agent's name in callcenter.conf) on both legs; a dialplan that
  // bridges straight to user/1001 leaves dialed_user=1001 on the agent's leg.
  const agent = str(v.cc_agent) ?? str(v.dialed_user);
  if (agent) facts.agentId = agent;
  const queue = str(v.cc_queue);
  if (queue) facts.queue = queue;
  // The agent's leg runs the other way from the call (an inbound call's B-leg is outbound): a leg's
  // direction is the call's only on the customer's leg.
  const direction = str(v.call_direction) ?? (leg === options.customerLeg ? leg : undefined);
  if (direction) facts.direction = direction;
  const ids = [str(v.uuid), str(v.call_uuid)].filter((id): id is string => id !== undefined);
  return { ids: [...new Set(ids)], facts };
}
