/**
 * Incident points as clusters (see cluster.ts) on a Leaflet map, re-clustered after every zoom or pan over the points
 * in view (plus a margin): a circle with the count for a group, a small dot for a lone incident. Only what is in view
 * is clustered, so at any zoom the markers are bounded by the screen's cells, not by the number of incidents. Tells
 * the map element how many markers it drew (data-clusters).
 */
import L from 'leaflet';
import { gridClusters } from './cluster.js';

const CELL_PX = 48;

export function clusterLayer(map: L.Map, lonLat: number[][], label: (i: number) => string, el: HTMLElement): L.LayerGroup {
  const group = L.layerGroup();
  const draw = () => {
    group.clearLayers();
    const z = map.getZoom();
    const view = map.getBounds().pad(0.25);
    const inView: number[] = [];
    for (let i = 0; i < lonLat.length; i++) if (view.contains([lonLat[i][1], lonLat[i][0]])) inView.push(i);
    const x = new Float64Array(inView.length), y = new Float64Array(inView.length);
    inView.forEach((i, k) => {
      const p = map.project([lonLat[i][1], lonLat[i][0]], z);
      x[k] = p.x; y[k] = p.y;
    });
    const clusters = gridClusters(x, y, CELL_PX).map((c) => ({ ...c, first: inView[c.first] }));
    for (const c of clusters) {
      const at = map.unproject([c.x, c.y], z);
      if (c.count === 1) {
        group.addLayer(L.circleMarker(at, { radius: 3, weight: 0, fillColor: '#222', fillOpacity: 0.8 }).bindTooltip(label(c.first)));
        continue;
      }
      const size = Math.round(18 + 7 * Math.log10(c.count));
      group.addLayer(L.marker(at, {
        icon: L.divIcon({ className: 'cluster', html: `<span>${c.count}</span>`, iconSize: [size, size] }),
        title: `${c.count} incidents here; zoom in to split`,
      }).on('click', () => map.setView(at, Math.min(19, z + 2))));
    }
    el.dataset.clusters = String(clusters.length);
  };
  // moveend follows every zoom and pan
  map.on('moveend', draw);
  group.on('remove', () => map.off('moveend', draw));
  draw();
  return group.addTo(map);
}
