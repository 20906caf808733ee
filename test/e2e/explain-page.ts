import type { Page } from 'playwright-core';

// Driving the explain UI on the app's page: shared by the e2e test and the step-draw bench.

export const tid = (id: string) => `[data-testid="${id}"]`;

/** Builds `factory` on the open dataset from the index panel and waits until it is listed. */
export async function buildIndex(page: Page, factory: string): Promise<void> {
  await page.locator(tid('index-kind')).selectOption('factory');
  await page.locator(tid('factory-input')).fill(factory);
  await page.locator(tid('build-button')).click();
  // built when the store makes it the active index (Build stays focusable while it builds, so its state says nothing)
  await page.locator(`${tid('index-list')} li.active`).filter({ hasText: factory }).first().waitFor({ timeout: 120_000 });
}

/** Picks the built `factory` and presses Explain; resolves on its first step. */
export async function explainOn(page: Page, factory: string): Promise<void> {
  await page.locator(`${tid('index-list')} label`).filter({ hasText: factory }).first().click();
  await page.locator(tid('explain')).click();
  await page.locator(tid('explain-counter')).filter({ hasText: /^step 1 of \d+$/ }).waitFor({ timeout: 30_000 });
  await page.locator(tid('explain-index')).filter({ hasText: factory }).waitFor({ timeout: 30_000 });
}

export async function stepCount(page: Page): Promise<number> {
  return Number(/of (\d+)/.exec(await page.locator(tid('explain-counter')).innerText())![1]);
}

/** Clicks a step button; the milliseconds from the click to plotly's next finished draw of the explain layer. */
export function timedStep(page: Page, button: 'explain-next' | 'explain-back'): Promise<number> {
  return page.evaluate(
    ({ map, button }) =>
      new Promise<number>((resolve) => {
        // plotly's element is an EventEmitter; an inline listener (a named one trips tsx's __name helper in the page)
        const el = document.querySelector(map) as unknown as HTMLElement & { once(e: string, f: () => void): void };
        const t0 = performance.now();
        el.once('plotly_afterplot', () => resolve(performance.now() - t0));
        (document.querySelector(button) as HTMLButtonElement).click();
      }),
    { map: tid('explain-overlay'), button: tid(button) },
  );
}
