/** The queue's name and Redis connection settings shared by workers and clients. */
import type { ConnectionOptions } from 'bullmq';
import { UserError } from '../util/errors.js';

export const DEFAULT_QUEUE = 'crimecast-jobs';

/** Queue name: the argument, else $CRIMECAST_QUEUE, else crimecast-jobs (several deployments can share one Redis). */
export function queueName(name?: string): string {
  const q = (name ?? process.env.CRIMECAST_QUEUE ?? DEFAULT_QUEUE).trim();
  if (!/^[\w.-]{1,100}$/.test(q)) throw new UserError(`bad queue name "${q}"`, 'use letters, digits, ".", "_" or "-"');
  return q;
}

/** BullMQ connection options for a redis:// URL (no retry limit per command: blocking workers need that). */
export function redisConnection(url: string | undefined): ConnectionOptions {
  const u = (url ?? process.env.CRIMECAST_REDIS_URL ?? '').trim();
  if (!u) throw new UserError('no Redis server given', 'pass --redis redis://HOST:PORT or set CRIMECAST_REDIS_URL');
  if (!/^rediss?:\/\//i.test(u)) throw new UserError(`bad Redis URL "${u.replace(/:[^:@/]*@/, ':***@')}"`, 'use redis://[USER:PASSWORD@]HOST[:PORT][/DB]');
  return { url: u, maxRetriesPerRequest: null };
}

/** Redis key that asks whoever runs a job to stop it. */
export const cancelKey = (queue: string, jobId: string) => `crimecast:${queue}:cancel:${jobId}`;
