declare const __APP_VERSION__: string | undefined;
/** Set by the bundler from package.json; tests running from source see the fallback. */
export const APP_VERSION: string = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : '0.0.0-dev';
