import { test, expect, ready } from './fixtures';
import type { Page } from '@playwright/test';
import { PASSWORD, linkIn, mailTo, makeStaff, signIn, signUp, unique } from './accounts';
import { addSize, count } from './shopping';

// Orders hold stock, so these specs shop for shirts, not the basket spec's dress.
const SHIRT = '/p/men-oxford-shirt';
const JUMPER = '/p/men-crew-neck-jumper';

async function fillAddress(page: Page) {
  await page.getByLabel('Full name').fill('Ann Lee');
  await page.getByLabel('Street address').fill('1 High Street');
  await page.getByLabel('Town or city').fill('Leeds');
  await page.getByLabel('Postal code').fill('ls1 4ap');
  await page.getByLabel('Country').selectOption('GB');
}

test('a guest fills a basket, signs in, confirms their email, pays cash on delivery, is emailed, and staff ship it', async ({ page, browser, baseURL }) => {
  const email = unique('dee');
  await signUp(page, email);

  // Shopping as a guest first: two sizes, then signing in brings them along.
  await page.goto(SHIRT);
  await ready(page);
  await addSize(page, 0, 2);
  await addSize(page, 1);
  await expect(count(page)).toHaveText('3');
  await signIn(page, email, PASSWORD);
  await page.goto('/basket');
  await ready(page);
  await expect(page.getByTestId('basket-line')).toHaveCount(2);
  await expect(count(page)).toHaveText('3');
  const subtotal = (await page.getByTestId('subtotal').textContent())!.replace(/[^0-9]/g, '');

  // Not verified yet: checkout asks for that first, and keeps the basket.
  await page.goto('/checkout');
  await ready(page);
  await expect(page.getByTestId('verify-first')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Place order' })).toHaveCount(0);
  // Nor does posting a complete, correct form by hand: the server refuses too.
  const sneaked = await page.request.post('/sf/checkout/place', {
    form: {
      key: crypto.randomUUID(),
      expected_subtotal: subtotal,
      delivery: 'pickup',
      payment: 'cash_on_delivery',
      address_id: 'new',
    },
    headers: { origin: baseURL!, accept: 'text/html' },
    maxRedirects: 0,
  });
  expect(sneaked.headers()['location']).toBe('/checkout');

  await page.goto(await linkIn(email, /Confirm your email/));
  await ready(page);
  await page.getByRole('button', { name: 'Confirm my email' }).click();
  await page.goto('/checkout');
  await ready(page);
  await expect(page.getByTestId('ordering-as')).toContainText(email);
  await expect(page.getByTestId('checkout-lines').getByRole('listitem')).toHaveCount(2);

  // Sent with nothing chosen: every problem at once, nothing placed.
  await page.getByRole('button', { name: 'Place order' }).click();
  await expect(page.getByTestId('error-payment')).toBeVisible();
  await expect(page.getByTestId('error-line1')).toBeVisible();
  await expect(page.getByTestId('error-country')).toBeVisible();

  await fillAddress(page);
  await page.getByLabel('Cash on delivery').check();
  await page.getByRole('button', { name: 'Place order' }).click();
  await expect(page).toHaveURL(/\/orders\/[\w-]+\?key=\w+/);
  await ready(page);
  await expect(page.getByTestId('order-status')).toHaveText('Confirmed', { timeout: 15_000 });
  const reference = (await page.getByRole('heading', { level: 1 }).textContent())!.replace('Order ', '');
  expect(reference).toMatch(/^SURY-\d{6}$/);
  await expect(page.getByTestId('payment-note')).toContainText('when you receive it');
  await expect(page.locator('address')).toContainText('LS1 4AP');
  await expect(page.getByTestId('timeline').getByRole('listitem')).toHaveCount(2);

  const mail = await mailTo(email, new RegExp(`Your order ${reference} is confirmed`));
  expect(mail.text).toContain('Oxford shirt');
  // The ordered lines left the basket once the order was confirmed.
  await expect
    .poll(async () => {
      await page.reload();
      return count(page).isVisible();
    })
    .toBe(false);

  await page.goto('/account/orders');
  await expect(page.getByTestId('orders').getByRole('link', { name: reference })).toBeVisible();
  await expect(page.getByTestId('orders').getByRole('listitem'), 'only the order placed once verified').toHaveCount(1);

  // Staff see it waiting, ship it, and the shopper sees it on its way.
  const staff = await browser.newContext();
  const desk = await staff.newPage();
  const staffEmail = unique('sam');
  await signUp(desk, staffEmail);
  makeStaff(staffEmail);
  await signIn(desk, staffEmail, PASSWORD);
  await desk.goto('/admin');
  await expect(desk.getByTestId('waiting-to-pack')).not.toHaveText('0');
  await desk.goto('/admin/orders?status=confirmed');
  await desk.getByRole('link', { name: reference }).click();
  await expect(desk.getByTestId('admin-status')).toContainText('Confirmed');
  await desk.getByLabel('Carrier').fill('Royal Mail');
  await desk.getByLabel('Tracking number').fill('RM123456785GB');
  await desk.getByRole('button', { name: 'Mark shipped' }).click();
  await expect(desk.getByTestId('notice')).toContainText('Marked shipped');
  await expect(desk.getByTestId('admin-status')).toContainText('Shipped');
  await staff.close();

  await page.getByRole('link', { name: reference }).click();
  await ready(page);
  await expect(page.getByTestId('order-status')).toHaveText('Shipped');
  await expect(page.getByTestId('tracking')).toContainText('RM123456785GB');
  await expect(page.getByRole('button', { name: 'Cancel this order' })).toHaveCount(0);
  await mailTo(email, new RegExp(`Your order ${reference} has shipped`));

  // Buy again: the same two lines back in the basket.
  await page.getByRole('button', { name: 'Buy again' }).click();
  await expect(page).toHaveURL(/\/basket$/);
  await expect(page.getByTestId('basket-line')).toHaveCount(2);
  await expect(count(page)).toHaveText('3');
});

test('a guest checks out for pick-up by bank transfer; a replayed checkout places one order', async ({ page, baseURL }) => {
  await page.goto(JUMPER);
  await ready(page);
  await addSize(page, 0);
  await page.goto('/checkout');
  await ready(page);

  // A bad email is refused, the rest typed is kept.
  await page.getByLabel('Your name').fill('Eve Ng');
  await page.getByLabel('Email for the order confirmation').fill('eve-at-example');
  await page.getByLabel('Pick up in the shop').check();
  await page.getByLabel('Bank transfer').check();
  await page.getByRole('button', { name: 'Place order' }).click();
  await expect(page.getByTestId('error-email')).toBeVisible();
  await expect(page.getByLabel('Your name')).toHaveValue('Eve Ng');
  await expect(page.getByLabel('Bank transfer')).toBeChecked();

  const email = unique('eve');
  await page.getByLabel('Email for the order confirmation').fill(email);
  // The form as the browser would post it, sent twice (a double click).
  const form = await page.locator('form[action="/sf/checkout/place"]').evaluate((f: HTMLFormElement) =>
    Object.fromEntries(new FormData(f).entries() as Iterable<[string, string]>),
  );
  const post = () =>
    page.request.post('/sf/checkout/place', {
      form,
      // As a browser's form post: it asks for HTML, and is answered with a redirect.
      headers: { origin: baseURL!, accept: 'text/html' },
      maxRedirects: 0,
    });
  const first = await post();
  const second = await post();
  expect(first.status()).toBe(302);
  expect(second.headers()['location']).toBe(first.headers()['location']);

  await page.goto(first.headers()['location']);
  await ready(page);
  await expect(page.getByTestId('order-status')).toHaveText('Confirmed', { timeout: 15_000 });
  const reference = (await page.getByRole('heading', { level: 1 }).textContent())!.replace('Order ', '');
  await expect(page.getByTestId('payment-note')).toContainText(`with ${reference} as the reference`);
  await expect(page.getByText('To pick up in the shop.')).toBeVisible();
  const mail = await mailTo(email, new RegExp(`Your order ${reference} is confirmed`));
  expect(mail.text).toContain('bank transfer');

  // The guest cancels from the link; the reason is shown and emailed.
  await page.getByRole('button', { name: 'Cancel this order' }).click();
  await expect(page.getByTestId('order-status')).toHaveText('Cancelled');
  await expect(page.getByTestId('cancel-reason')).toContainText('you cancelled it');
  await mailTo(email, new RegExp(`Your order ${reference} was cancelled`));

  // Someone without the link sees nothing.
  const id = new URL(first.headers()['location'], baseURL).pathname.split('/').pop();
  const stranger = await page.request.get(`/orders/${id}?key=wrong`);
  expect(stranger.status()).toBe(404);
});
