/**
 * Leaflet maps drawn from GeoJSON alone: the study area's units are the map (no tiles needed, so it works offline);
 * a tile layer is added only when the server is configured with one.
 */
import L from 'leaflet';

export type FC = GeoJSON.FeatureCollection<GeoJSON.Geometry, Record<string, unknown>>;

let tileUrl: string | null = null;
export function setTileUrl(url: string | null): void { tileUrl = url; }

export function makeMap(el: HTMLElement): L.Map {
  const map = L.map(el, { zoomSnap: 0.25, attributionControl: !!tileUrl });
  if (tileUrl) L.tileLayer(tileUrl, { maxZoom: 19 }).addTo(map);
  return map;
}

const RAMP = ['#ffffcc', '#ffeda0', '#fed976', '#feb24c', '#fd8d3c', '#fc4e2a', '#e31a1c', '#b10026'];

/** Colour of v in [0, max] on a yellow–red ramp (square-root scale: counts are skewed). */
export function ramp(v: number, max: number): string {
  if (!(max > 0) || !(v > 0)) return RAMP[0];
  const k = Math.min(RAMP.length - 1, Math.floor(Math.sqrt(v / max) * RAMP.length));
  return RAMP[k];
}

export function legend(map: L.Map, title: string, max: number, digits = 2): L.Control {
  const c = new L.Control({ position: 'bottomright' });
  c.onAdd = () => {
    const div = L.DomUtil.create('div', 'legend');
    const t = document.createElement('strong');
    t.textContent = title;
    div.append(t);
    for (let k = 0; k < RAMP.length; k++) {
      const row = document.createElement('div');
      const sw = document.createElement('i');
      sw.style.background = RAMP[k];
      row.append(sw, ` ≥ ${(max * (k / RAMP.length) ** 2).toFixed(digits)}`);
      div.append(row);
    }
    return div;
  };
  return c.addTo(map);
}

export function fit(map: L.Map, layer: L.GeoJSON): void {
  const b = layer.getBounds();
  if (b.isValid()) map.fitBounds(b, { padding: [10, 10] });
}
