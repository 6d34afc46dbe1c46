// The dashboard's only script of its own (served from the server, allowed by the CSP as 'self'):
// draws the ten-minute chart from the feed's "series" events and counts lease countdowns down.
(function () {
  "use strict";
  var chart = null;

  function draw(data) {
    var box = document.getElementById("chart");
    if (!box || typeof uPlot === "undefined") {
      return;
    }
    if (chart === null) {
      chart = new uPlot({
        width: Math.max(320, box.clientWidth || 800),
        height: 240,
        series: [
          {},
          { label: "events/s", stroke: "#2f6fdf" },
          { label: "messages/s", stroke: "#d9822b" },
          { label: "completed/s", stroke: "#2e9d5b" }
        ],
        axes: [{}, { label: "per second" }]
      }, data, box);
    } else {
      chart.setData(data);
    }
    // what is drawn, for tests and the curious: the first second and the number of rows
    box.setAttribute("data-first", data[0].length > 0 ? String(data[0][0]) : "");
    box.setAttribute("data-rows", String(data[0].length));
  }

  document.body.addEventListener("htmx:sseBeforeMessage", function (e) {
    if (e.target && e.target.id === "series") {
      e.preventDefault(); // the series is drawn, not swapped in as HTML
      try {
        draw(JSON.parse(e.detail.data));
      } catch (err) {
        console.warn("colony dashboard: bad series", err);
      }
    }
  });

  function tick() {
    var now = Date.now();
    var all = document.querySelectorAll(".countdown[data-until]");
    for (var i = 0; i < all.length; i++) {
      var left = Math.max(0, Math.round((Number(all[i].getAttribute("data-until")) - now) / 1000));
      all[i].textContent = left + " s";
    }
  }
  setInterval(tick, 1000);
})();
