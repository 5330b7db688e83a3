// The API page: Swagger UI over the director's own OpenAPI document (same origin, so "Try it out" uses the
// console's session cookie; calls that change something also need the X-CSRF-Token, which Swagger UI cannot know).
window.addEventListener('DOMContentLoaded', () => {
  window.SwaggerUIBundle({
    url: '/api/openapi.json',
    dom_id: '#swagger',
    deepLinking: true,
    validatorUrl: null,
    // the OpenAPI document lists relative servers; everything stays on this origin
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout'
  });
});
