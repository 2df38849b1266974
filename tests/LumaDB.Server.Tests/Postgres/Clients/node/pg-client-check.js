// node-postgres with its default settings: DDL, parameters, a named prepared statement, a rolled-back transaction.
const { Client } = require('pg');

(async () => {
  const client = new Client({ host: '127.0.0.1', port: Number(process.argv[2]), user: 'luma', database: 'luma' });
  await client.connect();
  await client.query('CREATE TABLE node_items (id int PRIMARY KEY, name text, qty int8, tags text[])');
  for (const [id, name, qty] of [[1, 'apple', 10], [2, 'pear', 20]]) {
    const r = await client.query('INSERT INTO node_items VALUES ($1, $2, $3, $4)', [id, name, qty, [name, 'fruit']]);
    console.log(`${r.command} ${r.rowCount}`);
  }
  await client.query('BEGIN');
  await client.query('UPDATE node_items SET qty = qty + $1', [100]);
  await client.query('ROLLBACK');
  const byId = await client.query({ name: 'by-id', text: 'SELECT id, name, qty, tags FROM node_items WHERE id = $1', values: [2] });
  console.log(JSON.stringify(byId.rows));
  const again = await client.query({ name: 'by-id', text: 'SELECT id, name, qty, tags FROM node_items WHERE id = $1', values: [1] });
  console.log(JSON.stringify(again.rows));
  const sum = await client.query('SELECT sum(qty) AS total FROM node_items');
  console.log(JSON.stringify(sum.rows));
  try {
    await client.query('SELECT * FROM node_missing');
  } catch (e) {
    console.log(`${e.code} ${e.message}`);
  }
  await client.end();
})().catch((e) => {
  console.error(e.stack);
  process.exit(1);
});
