import { test, expect, ready, jsEnabled } from './fixtures';
import { PASSWORD, signIn, signUp, unique } from './accounts';
import { DRESS, addSize, count, plentiful } from './shopping';

test('a guest fills a basket, changes it, and signing in merges it into the account', async ({ page }) => {
  // A member with one item already in their basket, signed out again.
  const email = unique('cam');
  await signUp(page, email);
  await signIn(page, email, PASSWORD);
  await page.goto(DRESS);
  await ready(page);
  const first = await addSize(page, 0);
  await page.context().clearCookies();

  // As a guest: two sizes, the header counting along.
  await page.goto(DRESS);
  await ready(page);
  await expect(count(page)).toBeHidden();
  const url = page.url();
  await addSize(page, 0, 2);
  await expect(count(page)).toHaveText('2');
  if (jsEnabled()) expect(page.url(), 'added in place, no page load').toBe(url);
  await addSize(page, 1);
  await expect(count(page)).toHaveText('3');

  await page.locator('[data-slot="basket"]').click();
  await expect(page).toHaveURL(/\/basket$/);
  await ready(page);
  const lines = page.getByTestId('basket-line');
  await expect(lines).toHaveCount(2);
  await expect(lines.first()).toHaveAttribute('data-sku', first);
  await expect(page.getByRole('link', { name: 'Go to checkout' })).toBeVisible();

  // One more of the first line, then the second one out.
  await lines.first().getByLabel(/Quantity/).fill('3');
  await lines.first().getByRole('button', { name: /Update/ }).click();
  await expect(page.getByTestId('notice')).toContainText('Basket updated');
  await lines.nth(1).getByRole('button', { name: /Remove/ }).click();
  await expect(page.getByTestId('notice')).toContainText('Removed');
  await expect(lines).toHaveCount(1);
  await expect(lines.first().getByLabel(/Quantity/)).toHaveValue('3');

  // Signing in brings the guest's lines into the member's basket.
  await signIn(page, email, PASSWORD);
  await page.goto('/basket');
  await ready(page);
  await expect(lines).toHaveCount(1);
  const merged = Number(await lines.first().getByLabel(/Quantity/).inputValue());
  expect(merged, "the member's 1 and the guest's 3").toBe(4);
  await expect(count(page)).toHaveText(String(merged));
});

test('bad input to the basket gets a clear answer and changes nothing', async ({ page, baseURL }) => {
  await page.goto(DRESS);
  await ready(page);
  await addSize(page, 0);
  await expect(count(page)).toHaveText('1');
  const sku = await (await plentiful(page, 0)).locator('input').getAttribute('value');

  // Posted as a form without JavaScript would; each comes back with a message.
  const post = (form: Record<string, string>) =>
    page.request.post('/sf/basket/add-now', { form, headers: { origin: baseURL! } });
  for (const [form, message] of [
    [{ sku: sku!, quantity: '-1' }, /quantity from 1 to 99/],
    [{ sku: sku!, quantity: '100000' }, /quantity from 1 to 99/],
    [{ sku: sku!, quantity: 'two' }, /quantity from 1 to 99/],
    [{ sku: 'NO-SUCH-SKU', quantity: '1' }, /not sold here/],
    [{ sku: '<script>', quantity: '1' }, /choose a size/i],
  ] as const) {
    const response = await post(form);
    expect(response.status(), JSON.stringify(form)).toBe(400);
    expect(await response.text()).toMatch(message);
  }
  await page.goto('/basket');
  await expect(page.getByTestId('basket-line')).toHaveCount(1);
  await expect(count(page)).toHaveText('1');

  // A tampered basket cookie names no basket: the shopper starts afresh,
  // and nobody else's basket is reached.
  const cookies = await page.context().cookies();
  const basket = cookies.find((c) => c.name.endsWith('sury_basket'))!;
  expect(basket.httpOnly).toBe(true);
  const [id, tag] = basket.value.split('.');
  const forged = `${id.slice(0, -1)}${id.endsWith('0') ? '1' : '0'}.${tag}`;
  await page.context().addCookies([{ ...basket, value: forged }]);
  await page.goto('/basket');
  await expect(page.getByTestId('basket-empty')).toBeVisible();
  await expect(count(page)).toBeHidden();
});
