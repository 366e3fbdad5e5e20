// The trial page works without this script; it adds the site map and a print link.
(function () {
  "use strict";

  var print = document.querySelector(".print-link");
  if (print) {
    print.hidden = false;
    print.addEventListener("click", function (event) {
      event.preventDefault();
      window.print();
    });
  }

  var box = document.getElementById("site-map");
  var data = document.getElementById("site-points");
  if (!box || !data || typeof L === "undefined") return;
  var points = JSON.parse(data.textContent);
  if (!points.length) return;

  box.hidden = false;
  // The marker images by their collected (hashed) names: Leaflet's own guess from its stylesheet
  // only works while they keep their plain names, and so failed in production.
  L.Icon.Default.mergeOptions({
    imagePath: "",
    iconUrl: box.dataset.icon,
    iconRetinaUrl: box.dataset.icon2x,
    shadowUrl: box.dataset.shadow
  });
  var map = L.map(box, { scrollWheelZoom: false });
  L.tileLayer(box.dataset.tiles, { attribution: box.dataset.attribution, maxZoom: 18 }).addTo(map);
  var bounds = [];
  points.forEach(function (point) {
    var marker = L.marker([point.lat, point.lon], { title: point.name, alt: point.name });
    var label = document.createElement("div");
    label.textContent = point.name;
    if (point.status) {
      // The site's status as its line on the page says it (trials/status.py).
      var status = document.createElement("p");
      status.className = "map-status";
      status.textContent = point.status;
      label.appendChild(status);
    }
    // Narrow enough for a phone, and clear of the zoom buttons, which otherwise cover a popup
    // opened near the top.
    marker.bindPopup(label, { maxWidth: 240, autoPanPaddingTopLeft: L.point(50, 20) });
    marker.addTo(map);
    bounds.push([point.lat, point.lon]);
  });
  if (bounds.length === 1) map.setView(bounds[0], 9);
  else map.fitBounds(bounds, { padding: [20, 20] });
})();
