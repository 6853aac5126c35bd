// Added by Portman to every request (main and variations): whatever the input, the API never
// answers 5xx, and every 4xx is an RFC 9457 problem (application/problem+json with a title).
pm.test("[envmon] no 5xx", function () {
  pm.expect(pm.response.code, pm.response.text()).to.be.below(500);
});
if (pm.response.code >= 400) {
  pm.test("[envmon] 4xx is application/problem+json", function () {
    pm.expect(pm.response.headers.get("Content-Type")).to.include("application/problem+json");
    pm.expect(pm.response.json()).to.have.property("title");
  });
}
