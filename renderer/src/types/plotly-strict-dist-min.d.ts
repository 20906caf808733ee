// plotly.js-strict-dist-min ships no types of its own; it is the same API as plotly.js.
declare module 'plotly.js-strict-dist-min' {
  import * as Plotly from 'plotly.js';
  export = Plotly;
}
