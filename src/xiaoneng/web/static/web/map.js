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

  // Sequential colours for a grid's share (light: none, dark: most), ColorBrewer OrRd.
  const SHARE_COLOURS = ["#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000"];
  const NO_SHARE_COLOUR = "#f7f7f7";
  const MAX_ZOOM = 18;

  function percent(value) {
    return `${(value * 100).toFixed(value < 0.1 ? 1 : 0)}%`;
  }

  // Class breaks of the grids' shares: zero apart, then the quartiles of the others.
  function shareBreaks(shares) {
    const positive = shares.filter((v) => v > 0).sort((a, b) => a - b);
    if (!positive.length) return [];
    const at = (q) => positive[Math.min(positive.length - 1, Math.floor(q * positive.length))];
    return [at(0.25), at(0.5), at(0.75)].filter((v, i, all) => all.indexOf(v) === i);
  }

  function shareColour(value, breaks) {
    if (!(value > 0)) return NO_SHARE_COLOUR;
    let index = 1;
    for (const limit of breaks) if (value >= limit) index += 1;
    return SHARE_COLOURS[Math.min(index, SHARE_COLOURS.length - 1)];
  }

  // A score's fixed bands, best first (90 and over: lightest; under 60: darkest).
  const SCORE_BANDS = [90, 80, 70, 60, 0];

  function scoreColour(value) {
    if (value === null) return NO_SHARE_COLOUR;
    const index = SCORE_BANDS.findIndex((low) => value >= low);
    return SHARE_COLOURS[index < 0 ? SHARE_COLOURS.length - 1 : index];
  }

  // A grid's figure in its popup: a rate as a percentage, a score or a count as it is.
  function figure(value, scale) {
    if (value === null || value === undefined) return "—";
    return scale === "rate" ? percent(value) : String(value);
  }

  function swatch(colour, text) {
    const item = document.createElement("span");
    item.className = "map-legend-item";
    const box = document.createElement("span");
    box.className = "map-legend-box";
    box.style.backgroundColor = colour;
    item.append(box, document.createTextNode(text));
    return item;
  }

  // The full grid map: every grid of the user's scope (labelled, coloured by station or by a
  // share per grid), and the entities of the visible area as points or, when many, clusters.
  function full(elementId, givenLabels) {
    const element = typeof elementId === "string" ? document.getElementById(elementId) : elementId;
    if (!element) return;
    const labels = givenLabels || element.dataset;
    const map = plainMap(element);
    map.setMaxZoom(MAX_ZOOM);
    const stations = {};
    const status = document.getElementById("map-status");
    const legend = document.getElementById("map-legend");
    const riskFilter = document.getElementById("map-risk");
    const colourChoice = document.getElementById("map-colour");
    // Grid codes sit just above the grids' centres, in a pane of their own above the clusters
    // (which gather near the centres too), so that a code is not hidden; it lets clicks through.
    map.createPane("grid-labels").style.zIndex = 650;
    map.getPane("grid-labels").style.pointerEvents = "none";
    const gridLabels = L.layerGroup().addTo(map);
    let pointsLayer = L.layerGroup().addTo(map);
    let gridLayer = null;
    let pending = null;

    function stationColour(station) {
      if (!(station in stations)) stations[station] = STATION_COLOURS[Object.keys(stations).length % STATION_COLOURS.length];
      return stations[station];
    }

    function failed() {
      if (status) status.textContent = labels.failed || "";
    }

    fetch("/api/v1/grids", { credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
      .then((collection) => {
        gridLayer = L.geoJSON(collection, {
          onEachFeature: (feature, shape) => {
            const p = feature.properties;
            shape.bindTooltip(`${escapeHtml(p.code)} ${escapeHtml(p.name)}`, { sticky: true });
            const extra = colourChoice
              ? Array.from(colourChoice.options).filter((o) => o.value && o.value in p)
                .map((o) => `<br>${escapeHtml(o.dataset.header || o.textContent)}：${escapeHtml(figure(p[o.value], o.dataset.scale))}`).join("")
              : "";
            shape.bindPopup(
              `<strong><a href="/grids/${encodeURIComponent(p.code)}/">${escapeHtml(p.code)} ${escapeHtml(p.name)}</a></strong><br>` +
              `${escapeHtml(labels.station)}：${escapeHtml(p.station_name)}<br>${escapeHtml(labels.officer)}：${escapeHtml(p.officer_name || "—")}<br>` +
              `${escapeHtml(labels.entities)}：${p.entities ?? "—"}${extra}`
            );
            const label = L.marker(shape.getBounds().getCenter(), {
              interactive: false,
              keyboard: false,
              pane: "grid-labels",
              icon: L.divIcon({ className: "grid-label", html: `<span>${escapeHtml(p.code)}</span>`, iconSize: null }),
            });
            label.gridBounds = shape.getBounds();
            shape.gridLabel = label;
          },
        }).addTo(map);
        element.dataset.grids = String(collection.features.length);
        colourGrids();
        if (collection.features.length) map.fitBounds(gridLayer.getBounds(), { padding: [10, 10] });
        else map.setView([35, 105], 4);
        showGridLabels();
        loadPoints();
        map.on("moveend", loadPoints);
        map.on("zoomend", showGridLabels);
      })
      .catch(failed);

    if (riskFilter) riskFilter.addEventListener("change", loadPoints);
    if (colourChoice) colourChoice.addEventListener("change", colourGrids);

    // Colour the grids by station, or by the chosen figure (the option's data-scale): a count
    // as a share of the grid's entities, a rate (0–1, higher worse) as it is, both in quartile
    // classes; a score (0–100, lower worse) in fixed bands. A grid without the figure is grey.
    function colourGrids() {
      if (!gridLayer) return;
      const key = colourChoice ? colourChoice.value : "";
      const option = key ? colourChoice.selectedOptions[0] : null;
      const scale = (option && option.dataset.scale) || "count";
      const values = [];
      gridLayer.eachLayer((shape) => {
        const p = shape.feature.properties;
        if (!key) shape.value = null;
        else if (scale === "count") shape.value = p.entities ? (p[key] || 0) / p.entities : 0;
        else shape.value = typeof p[key] === "number" ? p[key] : null;
        if (shape.value !== null) values.push(shape.value);
      });
      const breaks = shareBreaks(values);
      gridLayer.eachLayer((shape) => {
        const p = shape.feature.properties;
        const station = stationColour(p.station);
        if (!key) shape.setStyle({ color: station, weight: 1.5, fillColor: station, fillOpacity: 0.12 });
        else {
          const fill = scale === "score" ? scoreColour(shape.value) : shape.value === null ? NO_SHARE_COLOUR : shareColour(shape.value, breaks);
          shape.setStyle({ color: "#6c757d", weight: 1, fillColor: fill, fillOpacity: 0.75 });
        }
      });
      element.dataset.colour = key || "station";
      if (!legend) return;
      legend.replaceChildren();
      if (!key) return;
      if (scale === "score") {
        legend.append(swatch(NO_SHARE_COLOUR, labels.noData));
        SCORE_BANDS.forEach((low, i) => {
          const high = i ? SCORE_BANDS[i - 1] : null;
          const text = high === null ? `≥ ${low}` : low === 0 ? `< ${high}` : `${low}–${high}`;
          legend.append(swatch(SHARE_COLOURS[i], text));
        });
        return;
      }
      legend.append(swatch(NO_SHARE_COLOUR, scale === "count" ? labels.none : labels.noData));
      const bounds = [0, ...breaks, null];
      for (let i = 0; i + 1 < bounds.length; i += 1) {
        const low = bounds[i], high = bounds[i + 1];
        const text = high === null ? `≥ ${percent(low)}` : i === 0 ? `< ${percent(high)}` : `${percent(low)}–${percent(high)}`;
        legend.append(swatch(SHARE_COLOURS[i + 1], text));
      }
    }

    // A grid's code shows at its centre when the grid is large enough on screen to hold it.
    function showGridLabels() {
      if (!gridLayer) return;
      let shown = 0;
      gridLayer.eachLayer((shape) => {
        const label = shape.gridLabel;
        const b = label.gridBounds;
        const size = map.latLngToLayerPoint(b.getSouthEast()).subtract(map.latLngToLayerPoint(b.getNorthWest()));
        if (size.x >= 44 && size.y >= 22) {
          shown += 1;
          if (!gridLabels.hasLayer(label)) gridLabels.addLayer(label);
        } else if (gridLabels.hasLayer(label)) gridLabels.removeLayer(label);
      });
      element.dataset.labels = String(shown);
    }

    function loadPoints() {
      const b = map.getBounds();
      const params = new URLSearchParams({
        bbox: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].join(","),
        zoom: String(Math.max(0, Math.round(map.getZoom()))),
      });
      if (riskFilter && riskFilter.value) params.set("risk_class", riskFilter.value);
      if (pending) pending.abort();
      pending = new AbortController();
      fetch(`/entities/points.json?${params}`, { credentials: "same-origin", signal: pending.signal })
        .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
        .then((data) => {
          const layer = L.layerGroup();
          for (const [lon, lat, risk, uscc] of data.points) {
            L.circleMarker([lat, lon], { radius: 4, weight: 0, fillOpacity: 0.85, fillColor: RISK_COLOURS[risk] || "#555" })
              .on("click", (event) => openEntity(event.target, uscc))
              .addTo(layer);
          }
          for (const [lon, lat, count, high] of data.clusters || []) {
            const size = count < 10 ? "s" : count < 100 ? "m" : count < 1000 ? "l" : "xl";
            const diameter = { s: 22, m: 28, l: 34, xl: 40 }[size];
            L.marker([lat, lon], {
              icon: L.divIcon({ className: `map-cluster map-cluster-${size}`, html: `<span>${count}</span>`, iconSize: [diameter, diameter] }),
              title: labels.cluster.replace("%s", count).replace("%s", high),
              riseOnHover: true,
            })
              .on("click", () => map.setView([lat, lon], Math.min(MAX_ZOOM, map.getZoom() + 2)))
              .addTo(layer);
          }
          map.removeLayer(pointsLayer);
          pointsLayer = layer.addTo(map);
          element.dataset.points = String(data.points.length);
          element.dataset.clusters = String((data.clusters || []).length);
          element.dataset.total = String(data.total ?? data.points.length);
          if (status) {
            const total = data.total ?? data.points.length;
            status.textContent = (data.clusters || []).length ? labels.clustered.replace("%s", total) : labels.shown.replace("%s", total);
          }
        })
        .catch((error) => {
          if (!(error && error.name === "AbortError")) failed();
        });
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

  // A page with a full map marks it data-map="full" and carries its labels as data attributes
  // (no inline script: the Content-Security-Policy allows scripts from static files only).
  function start() {
    document.querySelectorAll("[data-map=full]").forEach((element) => full(element));
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
