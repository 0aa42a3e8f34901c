/**
 * Leaflet maps drawn from GeoJSON alone: the study area's units are the map (no tiles needed, so it works offline);
 * a tile layer is added only when the server is configured with one.
 */
import L from 'leaflet';
import { type LegendRow } from './map-legend-rows.js';
import { outerEdges } from './outline.js';

export type FC = GeoJSON.FeatureCollection<GeoJSON.Geometry, Record<string, unknown>>;

let tileUrl: string | null = null;
export function setTileUrl(url: string | null): void { tileUrl = url; }

export function makeMap(el: HTMLElement): L.Map {
  const map = L.map(el, { zoomSnap: 0.25, attributionControl: !!tileUrl });
  if (tileUrl) L.tileLayer(tileUrl, { maxZoom: 19 }).addTo(map);
  L.control.scale({ position: 'bottomleft' }).addTo(map);
  return map;
}

/** The study area's outer boundary (outline.ts) as one thick line over the areas; not interactive. */
export function outlineLayer(map: L.Map, fc: FC): L.Polyline {
  const segments = outerEdges(fc.features).map(([a, b]) => [[a[1], a[0]], [b[1], b[0]]] as L.LatLngExpression[]);
  return L.polyline(segments, { color: '#222', weight: 2, interactive: false, className: 'study-outline' }).addTo(map);
}

export { fmtValue, integerRows, ramp, rampRows, type LegendRow } from './map-legend-rows.js';

/** A legend control: a title, an optional line under it (units, dates), one swatch per class. */
export function classLegend(map: L.Map, title: string, rows: LegendRow[], note?: string, position: L.ControlPosition = 'bottomright'): L.Control {
  const c = new L.Control({ position });
  c.onAdd = () => {
    const div = L.DomUtil.create('div', 'legend');
    const t = document.createElement('strong');
    t.textContent = title;
    div.append(t);
    if (note) { const n = document.createElement('div'); n.className = 'legend-note'; n.textContent = note; div.append(n); }
    for (const r of rows) {
      const row = document.createElement('div');
      row.className = 'legend-row';
      const sw = document.createElement('i');
      sw.style.background = r.color;
      row.append(sw, r.label);
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
