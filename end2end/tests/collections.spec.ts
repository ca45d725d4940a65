import { test, expect, fillIn, jsEnabled, option, ready } from './fixtures';
import { unique } from './accounts';
import { customerRefused, setPrice, staffOpen } from './staff';

test('home shelves lead to a collection; a reduced piece shows its old price, brand, size guide and related pieces', async ({ page }) => {
  await page.goto('/');
  await ready(page);
  const shelves = page.getByTestId('shelf').getByRole('heading', { level: 2 });
  // Staff tests may add shelves of their own after these three.
  await expect(shelves.nth(0)).toHaveText('New in');
  await expect(shelves.nth(1)).toHaveText('Sale');
  await expect(shelves.nth(2)).toHaveText('Back to school');
  await expect(page.getByTestId('new-arrivals').getByRole('listitem')).toHaveCount(8);

  await page.getByRole('link', { name: 'See all of Sale' }).click();
  await expect(page).toHaveURL(/\/collections\/sale$/);
  await ready(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sale');
  const cards = page.getByTestId('products').getByRole('listitem');
  await expect(cards.first()).toBeVisible();
  for (const text of await cards.allTextContents()) {
    expect(text).toMatch(/from £\d+\.\d\d was £\d+\.\d\d Sale/);
  }

  await cards.filter({ hasText: 'Linen blend blouse' }).getByRole('link').click();
  await expect(page).toHaveURL(/\/p\/women-linen-blend-blouse$/);
  await ready(page);
  await expect(page.getByTestId('price')).toContainText('£16.00');
  await expect(page.getByTestId('was-price')).toHaveText('was £24.00');
  await expect(page.getByTestId('brand')).toHaveText('Hale & Co');

  // The size guide is folded away until asked for, and is a real table.
  const guide = page.getByTestId('size-chart');
  await expect(guide.getByRole('columnheader', { name: 'UK size' })).toBeHidden();
  await guide.getByText('Size guide').click();
  await expect(guide.getByRole('columnheader', { name: 'UK size' })).toBeVisible();
  await expect(guide.getByRole('row', { name: /^12 92 cm 74 cm 100 cm$/ })).toBeVisible();

  const related = page.getByTestId('related');
  await expect(related.getByRole('listitem')).toHaveCount(4);
  await expect(related).not.toContainText('Linen blend blouse');
  await expect(related).toContainText('Striped Breton top');

  // Everything of the brand in the department, the brand ticked.
  await page.getByRole('link', { name: 'More from Hale & Co' }).click();
  await expect(page).toHaveURL(/\/c\/women\?brand=hale-co$/);
  await ready(page);
  await expect(page.getByLabel(/^Hale & Co/)).toBeChecked();
  const branded = page.getByTestId('products').getByRole('listitem');
  await expect(branded.first()).toBeVisible();
  for (const text of await branded.allTextContents()) expect(text).toContain('Hale & Co');
});

test('the brand filter narrows a listing, one-size pieces have no size guide, and the gallery switches colour', async ({ page }) => {
  await page.goto('/c/men');
  await ready(page);
  const count = async () => Number(/^(\d+) products/.exec((await page.getByTestId('product-count').textContent()) ?? '')![1]);
  const all = await count();
  await page.locator('details', { has: page.getByTestId('filters') }).locator('summary').click();
  await page.getByTestId('filters').getByRole('checkbox', { name: /^Northshore/ }).check();
  // Applied by itself with JS, by Apply without.
  if (!jsEnabled()) await page.getByTestId('filters').getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/\/c\/men\?.*brand=northshore/);
  await ready(page);
  await expect.poll(count).toBeLessThan(all);
  for (const text of await page.getByTestId('products').getByRole('listitem').allTextContents()) {
    expect(text).toContain('Northshore');
  }

  await page.goto('/p/women-knitted-scarf');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Knitted scarf');
  await expect(page.getByTestId('size-chart')).toHaveCount(0);

  await page.goto('/p/women-linen-wrap-dress');
  await ready(page);
  const gallery = page.getByTestId('gallery');
  await expect(gallery).toHaveAttribute('data-colour', 'Sage');
  // Hydrated, the switch happens in place: the page is not loaded again.
  await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  await gallery.getByRole('link', { name: 'Rust' }).click();
  await expect(page).toHaveURL(/\?colour=Rust#gallery$/);
  await expect(gallery).toHaveAttribute('data-colour', 'Rust');
  await expect(gallery.getByRole('img', { name: 'Linen wrap dress in rust, drawn' })).toBeVisible();
  await expect(gallery.getByRole('img', { name: 'Linen wrap dress in sage, drawn' })).toBeHidden();
  const stayed = await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed === true);
  expect(stayed).toBe(jsEnabled());
});

test('staff make a collection, fill and order it, and shoppers see it on the home page; a sale price and barcode are checked', async ({ page }) => {
  await customerRefused(page, 'kit', ['/admin/collections']);
  await page.context().clearCookies();

  await staffOpen(page, 'cole', 'Collections');
  await expect(page.getByTestId('admin-collections')).toContainText('Back to school');

  const name = `Weekend ${unique('w').split('@')[0]}`;
  const form = page.getByTestId('new-collection');
  await fillIn(form, { Name: 'x', 'Description (optional)': 'Easy pieces for days off.' });
  await form.getByRole('button', { name: 'Make collection' }).click();
  await expect(page.getByTestId('error-name')).toBeVisible();
  await expect(form.getByLabel('Description (optional)')).toHaveValue('Easy pieces for days off.');
  await form.getByLabel('Name').fill(name);
  await form.getByRole('button', { name: 'Make collection' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await ready(page);

  const add = page.getByTestId('shelve');
  await add.getByLabel('Add a product').fill('men-no-such-thing');
  await add.getByRole('button', { name: 'Add to collection' }).click();
  await expect(page.getByTestId('error-product')).toContainText('No product has that address');
  await expect(add.getByLabel('Add a product')).toHaveValue('men-no-such-thing');
  await add.getByLabel('Add a product').fill('men-cargo-shorts');
  await add.getByRole('button', { name: 'Add to collection' }).click();
  await expect(page.getByTestId('notice')).toContainText('men-cargo-shorts is in the collection');
  await add.getByLabel('Add a product').fill('http://shop.example/p/women-straw-sun-hat');
  await add.getByRole('button', { name: 'Add to collection' }).click();
  const shelved = page.getByTestId('shelved-product');
  await expect(shelved).toHaveCount(2);
  await shelved.nth(1).getByRole('button', { name: /Move up/ }).click();
  await expect(shelved.nth(0)).toHaveAttribute('data-slug', 'women-straw-sun-hat');

  // Shoppers: on the home page in that order, and on its own page.
  const slug = new URL(page.url()).pathname.split('/').pop()!;
  await page.goto('/');
  const shelf = page.getByTestId('shelf').filter({ has: page.getByRole('heading', { name }) });
  await expect(shelf.getByRole('listitem')).toHaveCount(2);
  await expect(shelf.getByRole('listitem').first()).toContainText('Straw sun hat');
  await shelf.getByRole('link', { name: `See all of ${name}` }).click();
  await expect(page).toHaveURL(new RegExp(`/collections/${slug}$`));
  await expect(page.getByTestId('product-count')).toContainText('2 products');

  // Emptied again: off the home page.
  await page.goto(`/admin/collections/${slug}`);
  await ready(page);
  for (const item of ['Straw sun hat', 'Cargo shorts']) {
    await page.getByRole('button', { name: `Take out ${item}` }).click();
    await expect(page.getByTestId('notice')).toContainText('taken out');
  }
  await page.goto('/');
  await expect(page.getByRole('heading', { name })).toHaveCount(0);

  // A sale price must be above the price; a barcode's last digit is checked.
  await page.goto('/admin/products/men-leather-belt');
  await ready(page);
  const variant = page.getByTestId('staff-variant').first();
  await setPrice(variant, '15', '12');
  await expect(page.getByTestId('form-error')).toContainText('must be above the price');
  // What was typed is still there to correct.
  await expect(variant.getByLabel('Price (£, VAT included)')).toHaveValue('15');
  await expect(variant.getByLabel('Before sale (optional)')).toHaveValue('12');
  await setPrice(variant, '15', '18');
  await expect(page.getByTestId('notice')).toContainText('now costs £15.00, down from £18.00');
  const barcode = variant.getByLabel('Barcode (EAN or UPC)');
  const setBarcode = async (code: string) => {
    await barcode.fill(code);
    await variant.getByRole('button', { name: /Set barcode/ }).click();
  };
  await setBarcode('4006381333932');
  await expect(page.getByTestId('form-error')).toContainText("last digit doesn't match");
  await expect(barcode).toHaveValue('4006381333932');
  await setBarcode('4006381333931');
  await expect(page.getByTestId('notice')).toContainText('has the barcode 4006381333931');
  await page.goto('/p/men-leather-belt');
  await expect(page.getByTestId('was-price')).toHaveText('was £18.00');
});

test('staff add a category with a size chart; a wrong chart line is named and the typing kept', async ({ page }) => {
  await staffOpen(page, 'cat', 'Categories');
  await expect(page).toHaveURL(/\/admin\/categories$/);
  await expect(page.getByTestId('admin-categories')).toContainText('Dresses');

  // Short (names are at most 40 characters) and different in each project.
  const tag = `${test.info().project.name.replace('-', '')}${Math.floor(Math.random() * 1e6)}`;
  const name = `Swimwear ${tag}`;
  const form = page.getByTestId('new-category');
  await fillIn(form, { Department: option('Women'), Name: name, 'Size chart (optional)': 'UK size, Bust\n8, 82 cm\n10' });
  await form.getByRole('button', { name: 'Add category' }).click();
  await expect(page.getByTestId('error-size_chart')).toContainText('Line 3 has 1 values');
  await expect(form.getByLabel('Name')).toHaveValue(name);
  await expect(form.getByLabel('Department')).toHaveValue('women');
  await form.getByLabel('Size chart (optional)').fill('UK size, Bust\n8, 82 cm\n10, 87 cm');
  await form.getByRole('button', { name: 'Add category' }).click();
  await expect(page.getByTestId('notice')).toContainText(`${name} was added`);

  // It is in the shop's tree at once, and its chart can be changed.
  await page.goto('/c/women');
  await expect(page.getByRole('link', { name })).toBeVisible();
  await page.goto('/admin/categories');
  await page.getByRole('link', { name }).click();
  await ready(page);
  const details = page.getByTestId('category-details');
  await expect(details.getByLabel('Size chart (optional)')).toHaveValue('UK size, Bust\n8, 82 cm\n10, 87 cm');
  await details.getByLabel('Name').fill(`${name} and beach`);
  await details.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('notice')).toContainText('was saved');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${name} and beach`);

  // Signed out, the page asks who is there.
  await page.context().clearCookies();
  await page.goto('/admin/categories');
  await expect(page).toHaveURL(/\/account\/sign-in\?next=\/admin\/categories$/);
});
