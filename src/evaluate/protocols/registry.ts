/** Published evaluation protocols by name (`crimecast protocol st-hsl …`). */
import { UserError } from '../../util/errors.js';
import type { Protocol, ProtocolOptions, ProtocolResult } from './types.js';

const protocols = new Map<string, Protocol>();

export function registerProtocol(p: Protocol): void {
  if (protocols.has(p.name)) throw new Error(`protocol "${p.name}" is registered twice`);
  protocols.set(p.name, p);
}

export function listProtocols(): Protocol[] {
  return [...protocols.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export function getProtocol(name: string): Protocol {
  const p = protocols.get(name);
  if (!p) throw new UserError(`unknown protocol "${name}". Available: ${listProtocols().map((q) => q.name).join(', ')}`);
  return p;
}

export async function runProtocol(name: string, models: string[], opts: ProtocolOptions = {}): Promise<ProtocolResult> {
  const external = opts.external?.length ?? 0;
  if (models.length === 0 && external === 0) throw new UserError(`protocol ${name}: give at least one model`);
  const p = getProtocol(name);
  if (external > 0 && !p.acceptsExternal) {
    throw new UserError(`protocol ${name} does not score external forecasts yet`, `protocols that do: ${listProtocols().filter((q) => q.acceptsExternal).map((q) => q.name).join(', ')}`);
  }
  return p.run(models, opts);
}
