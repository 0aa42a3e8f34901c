/** Named columns of a per-period contribution matrix (P × K), so metric statistics can address their fields. */
export class FieldLayout {
  private readonly names: string[] = [];
  private readonly index = new Map<string, number>();

  add(name: string): number {
    if (this.index.has(name)) throw new Error(`field ${name} defined twice`);
    this.index.set(name, this.names.length);
    this.names.push(name);
    return this.names.length - 1;
  }

  at(name: string): number {
    const k = this.index.get(name);
    if (k === undefined) throw new Error(`no field ${name}`);
    return k;
  }

  get K(): number {
    return this.names.length;
  }
}
