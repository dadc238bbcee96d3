/* The annotator's rare parts (formats other than the native one; see rare/ and
 * src/browser/rare.rs), loaded the first time a person uses one of them.
 *
 * The app loads this script, then calls annotatorLoadRare(): it imports the second module's
 * glue (wasm-bindgen, target "web", built by trunk from rare/Cargo.toml) next to this script,
 * starts its wasm, and resolves to the module's exports. The single-file build defines
 * annotatorLoadRare itself (scripts/inline_single.py), from the module inlined in the page.
 */
"use strict";
(function () {
  const glue = new URL("annotator-rare.js", document.currentScript.src).href;
  let loading = null;
  globalThis.annotatorLoadRare = function () {
    if (!loading) {
      loading = import(glue).then(async (m) => {
        await m.default();
        return m;
      });
      // A failure is not kept: the next use tries again (the network may be back).
      loading.catch(() => {
        loading = null;
      });
    }
    return loading;
  };
})();
