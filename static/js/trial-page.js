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
  // The marker images by the addresses the page gives (hashed names in production): Leaflet's
  // own guess from its stylesheet only works while they keep their plain names. Sizes are
  // Leaflet's default marker's.
  var icon = L.icon({
    iconUrl: box.dataset.icon,
    iconRetinaUrl: box.dataset.icon2x,
    shadowUrl: box.dataset.shadow,
    iconSize: [25, 41],
    iconAnchor: [12, 41],
    popupAnchor: [1, -34],
    shadowSize: [41, 41]
  });
  // The map is a picture of the site list, which is the accessible version: no keyboard stops on
  // the map or its markers (a large trial has hundreds), a link to skip it, and each site in the
  // list has a button that shows it on the map.
  var map = L.map(box, { scrollWheelZoom: false, keyboard: false });
  var markers = {};
  L.tileLayer(box.dataset.tiles, { attribution: box.dataset.attribution, maxZoom: 18 }).addTo(map);
  var bounds = [];
  points.forEach(function (point) {
    var marker = L.marker([point.lat, point.lon], {
      title: point.name,
      alt: point.name,
      icon: icon,
      keyboard: false
    });
    markers[point.id] = marker;
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

  var skip = document.querySelector(".skip-map");
  if (skip) skip.hidden = false;
  document.querySelectorAll(".show-on-map").forEach(function (button) {
    var marker = markers[button.dataset.site];
    if (!marker) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      box.scrollIntoView({ block: "center" });
      map.setView(marker.getLatLng(), Math.max(map.getZoom(), 10));
      marker.openPopup();
    });
  });
})();
