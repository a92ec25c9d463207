// Maps drawn with Leaflet on a plain background: grid polygons and entity points, no tiles.
(function () {
  const RISK_COLOURS = { I: "#dc3545", II: "#ffc107", III: "#198754" };
  const STATION_COLOURS = ["#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#e15759", "#9c755f", "#bab0ac", "#ff9da7"];

  function plainMap(element) {
    return L.map(element, { preferCanvas: true, zoomSnap: 0.25, attributionControl: false });
  }

  function readJson(id) {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function escapeHtml(text) {
    return String(text ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  }

  // The full grid map: every grid of the user's scope, entities of the visible area.
  function full(elementId, labels) {
    const element = document.getElementById(elementId);
    if (!element) return;
    const map = plainMap(element);
    const stations = {};
    const status = document.getElementById("map-status");
    const riskFilter = document.getElementById("map-risk");
    let pointsLayer = L.layerGroup().addTo(map);
    let pending = null;

    fetch("/api/v1/grids", { credentials: "same-origin" })
      .then((r) => r.json())
      .then((collection) => {
        const layer = L.geoJSON(collection, {
          style: (feature) => {
            const station = feature.properties.station;
            if (!(station in stations)) stations[station] = STATION_COLOURS[Object.keys(stations).length % STATION_COLOURS.length];
            return { color: stations[station], weight: 1.5, fillColor: stations[station], fillOpacity: 0.12 };
          },
          onEachFeature: (feature, shape) => {
            const p = feature.properties;
            shape.bindTooltip(`${escapeHtml(p.code)} ${escapeHtml(p.name)}`, { sticky: true });
            shape.bindPopup(
              `<strong><a href="/grids/${encodeURIComponent(p.code)}/">${escapeHtml(p.code)} ${escapeHtml(p.name)}</a></strong><br>` +
              `${escapeHtml(labels.station)}：${escapeHtml(p.station_name)}<br>${escapeHtml(labels.officer)}：${escapeHtml(p.officer_name || "—")}<br>` +
              `${escapeHtml(labels.entities)}：${p.entities ?? "—"}`
            );
          },
        }).addTo(map);
        element.dataset.grids = String(collection.features.length);
        if (collection.features.length) map.fitBounds(layer.getBounds(), { padding: [10, 10] });
        else map.setView([35, 105], 4);
        loadPoints();
        map.on("moveend", loadPoints);
      });

    if (riskFilter) riskFilter.addEventListener("change", loadPoints);

    function loadPoints() {
      const b = map.getBounds();
      const params = new URLSearchParams({ bbox: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].join(",") });
      if (riskFilter && riskFilter.value) params.set("risk_class", riskFilter.value);
      if (pending) pending.abort();
      pending = new AbortController();
      fetch(`/entities/points.json?${params}`, { credentials: "same-origin", signal: pending.signal })
        .then((r) => r.json())
        .then((data) => {
          const layer = L.layerGroup();
          for (const [lon, lat, risk, uscc] of data.points) {
            L.circleMarker([lat, lon], { radius: 3, weight: 0, fillOpacity: 0.8, fillColor: RISK_COLOURS[risk] || "#555" })
              .on("click", (event) => openEntity(event.target, uscc))
              .addTo(layer);
          }
          map.removeLayer(pointsLayer);
          pointsLayer = layer.addTo(map);
          element.dataset.points = String(data.points.length);
          if (status) status.textContent = data.truncated ? labels.truncated.replace("%s", data.limit) : labels.shown.replace("%s", data.points.length);
        })
        .catch(() => {});
    }

    function openEntity(marker, uscc) {
      fetch(`/api/v1/entities/${encodeURIComponent(uscc)}`, { credentials: "same-origin" })
        .then((r) => r.json())
        .then((e) => {
          marker.bindPopup(
            `<strong><a href="/entities/${encodeURIComponent(e.uscc)}/">${escapeHtml(e.name)}</a></strong><br>` +
            `<code>${escapeHtml(e.uscc)}</code><br>${escapeHtml(e.address)}<br>` +
            `${escapeHtml(labels.risk)} ${escapeHtml(e.risk_class)} · ${escapeHtml(labels.grade)} ${escapeHtml(e.credit_grade)}`
          ).openPopup();
        });
    }
  }

  // A small map of one grid with its boundary (grid page) or one entity in its grid (dossier).
  // The view is set before any layer is added: a canvas renderer needs the map's view first.
  function small(elementId) {
    const element = document.getElementById(elementId);
    if (!element) return;
    const map = plainMap(element);
    const boundary = readJson("grid-boundary");
    const lon = readJson("entity-lon");
    const lat = readJson("entity-lat");
    const layers = [];
    let bounds = null;
    if (boundary) {
      const layer = L.geoJSON(boundary, { style: { color: "#0d6efd", weight: 2, fillOpacity: 0.1 } });
      layers.push(layer);
      bounds = layer.getBounds();
    }
    if (lon !== null && lat !== null) {
      layers.push(L.circleMarker([lat, lon], { radius: 6, color: "#dc3545", fillOpacity: 0.9 }));
      bounds = bounds ? bounds.extend([lat, lon]) : L.latLngBounds([[lat, lon], [lat, lon]]);
    }
    if (bounds) map.fitBounds(bounds.pad(0.15), { maxZoom: 16 });
    else map.setView([35, 105], 4);
    layers.forEach((layer) => layer.addTo(map));
    element.dataset.drawn = String(layers.length);
  }

  window.xiaonengMap = { full, dossier: small, grid: small };
})();
