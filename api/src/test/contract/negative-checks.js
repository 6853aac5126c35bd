// Added by Portman to every negative variation: bad input is refused with a 4xx.
pm.test("[envmon] bad input gets 4xx", function () {
  pm.expect(pm.response.code, pm.response.text()).to.be.within(400, 499);
});
