// Module resolution hooks (node:module register): the script's `k6/...` imports resolve to the runner's modules;
// k6 modules the runner does not implement, and remote imports, fail with a message that names them.
let modules = {};

export async function initialize(data) {
  modules = data.modules;
}

export async function resolve(specifier, context, next) {
  if (specifier === 'k6' || specifier.startsWith('k6/')) {
    const url = modules[specifier];
    if (!url) throw new Error(`k6-runner: module "${specifier}" is not supported by this runner (supported: ${Object.keys(modules).join(', ')}; see k6/README.md)`);
    return next(url, context);
  }
  if (/^https?:\/\//.test(specifier)) throw new Error(`k6-runner: remote module "${specifier}" is not supported by this runner (copy what the script needs into k6/lib)`);
  return next(specifier, context);
}
