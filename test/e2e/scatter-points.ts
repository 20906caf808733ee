import type { Page } from 'playwright-core';

const PROJECTION = '[data-testid="projection"]';

/** Page coordinates of base point `row` on the 2D scatter, from plotly's own axes. */
export function pointOnScreen(page: Page, row: number): Promise<{ x: number; y: number }> {
  return page.evaluate(
    ({ sel, row }) => {
      type Axis = { l2p(v: number): number; _offset: number };
      type Plot = { data: { x: ArrayLike<number>; y: ArrayLike<number> }[]; _fullLayout: { xaxis: Axis; yaxis: Axis } };
      const el = document.querySelector(sel) as unknown as Plot & HTMLElement;
      const box = el.getBoundingClientRect();
      const { xaxis, yaxis } = el._fullLayout;
      return { x: box.left + xaxis._offset + xaxis.l2p(el.data[0].x[row]), y: box.top + yaxis._offset + yaxis.l2p(el.data[0].y[row]) };
    },
    { sel: PROJECTION, row },
  );
}

/**
 * A real mouse click on the WebGL scatter. Plotly picks the point under a hover, so the click
 * waits for the hover label to go (mouse away) and to come back over the point.
 */
export async function clickOn(page: Page, p: { x: number; y: number }): Promise<void> {
  const label = page.locator(`${PROJECTION} .hovertext`);
  await page.mouse.move(1, 1);
  await label.first().waitFor({ state: 'detached', timeout: 10_000 });
  await page.mouse.move(p.x - 3, p.y - 3);
  await page.mouse.move(p.x, p.y, { steps: 3 });
  await label.first().waitFor({ timeout: 10_000 });
  await page.mouse.down();
  await page.mouse.up();
}
