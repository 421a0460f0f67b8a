// Starts Swagger UI for /api/docs. Kept in a file because the Content-Security-Policy forbids inline script.
window.addEventListener("DOMContentLoaded", function () {
  var container = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: container.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
