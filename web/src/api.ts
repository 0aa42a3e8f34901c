/** Calls to the CrimeCast API (same origin, session cookie); errors carry the server's message and hint. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly hint?: string) { super(message); }
}

export async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: {} };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) { init.body = JSON.stringify(body); (init.headers as Record<string, string>)['content-type'] = 'application/json'; }
  const res = await fetch(path, init);
  if (res.status === 204) return undefined as T;
  const json = await res.json().catch(() => ({ error: `${res.status} ${res.statusText}` }));
  if (!res.ok) throw new ApiError(res.status, (json as { error: string }).error, (json as { hint?: string }).hint);
  return json as T;
}

export interface Me { name: string; role: 'viewer' | 'analyst' | 'admin' }
export interface DatasetInfo { dataset: string; tz: string; incidents: number; from: string | null; to: string | null; categories: { category: string; count: number }[]; rejects: number; files: string[] }
export interface Publication { id: number; request: { dataset: string; model: string; units: string; period: string; horizon: number; coverage: number }; source: string; publishedAt: string; summary: { from: string; to: string; regions: number; expectedTotal: number; flaggedRegions: number; trainedOnIncidents: number }; explainedPlaces?: number }
export interface Interval { value: number; lo: number; hi: number; better: string; vsReference?: { diff: number; p: number } }
export interface BacktestJob {
  id: string; status: string; progress: number; message: string; error?: string; owner: string; created: string;
  request: { dataset: string; units: string; period: string; models: string[]; testFrom: string };
  result?: {
    leaderboard: { models: { spec: string; metrics: Record<string, Interval>; warnings?: string[]; worseThanReference?: string[]; bias?: Record<string, { value: number; lo: number; hi: number }>; external?: { file: string; sha256: string; kind: string } }[]; testPeriods: number; regions: number; reference: string; winners: { metric: string; winner: string; significant: boolean }[] };
    hitRateCurves: { title: string; series: { name: string; x: number[]; y: number[] }[] };
    testPeriods: string[];
    training?: { from: string; to: string };
  };
}
