/**
 * The app measured against the bare one, relative to the repository root; its module must export
 * `buildApp(app: App)`. To measure the front door's example instead, change this one line.
 */
export const MEASURED_APP = 'examples/platform-account/app.ts';
