import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {launchChromium, startStaticServer, type Browser, type StaticServer} from './chromium.js';

describe('headless Chromium harness', () => {
  let browser: Browser;
  let server: StaticServer;
  beforeAll(async () => {
    server = await startStaticServer();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('loads a page from the loopback server, evaluates, records console and errors, takes a screenshot', async () => {
    server.put('/t.html', '<html><body><p id="p">hi</p><script>console.log("ready", 2); setTimeout(() => { throw new Error("boom") }, 0)</script></body></html>');
    const page = await browser.open(`${server.origin}/t.html`);
    expect(await page.evaluate('document.getElementById("p").textContent')).toBe('hi');
    await page.waitFor('true');
    await new Promise((r) => setTimeout(r, 100));
    expect(page.console).toContainEqual({type: 'log', text: 'ready 2'});
    expect(page.errors.join('\n')).toContain('boom');
    const png = await page.screenshot();
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });
});
