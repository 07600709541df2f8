import adapter from '@sveltejs/adapter-node';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  kit: {
    typescript: {
      // Type-check (and lint) the test runner's config with the app's settings.
      config: (tsconfig) => {
        tsconfig['include'] = [...tsconfig['include'], '../vitest.config.ts'];
      },
    },
    adapter: adapter({ precompress: true }),
    csp: {
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        // The QR decoder where the browser has none is WebAssembly (bundled, see src/lib/scan.ts).
        'script-src': ['self', 'wasm-unsafe-eval'],
        'style-src': ['self', 'unsafe-inline'],
        'img-src': ['self', 'data:'],
        'connect-src': ['self'],
        'font-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none'],
      },
    },
  },
};

export default config;
