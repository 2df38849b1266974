CREATE SCHEMA psql_app;
CREATE TABLE psql_app.orders (id int PRIMARY KEY, customer text NOT NULL, total numeric, placed timestamptz DEFAULT now());
CREATE INDEX orders_customer_idx ON psql_app.orders (customer);
CREATE VIEW psql_app.big_orders AS SELECT id, total FROM psql_app.orders WHERE total > 100;
INSERT INTO psql_app.orders (id, customer, total) VALUES (1, 'ada', 250), (2, 'bob', 20);
\dn
\dt psql_app.*
\di psql_app.*
\dv psql_app.*
\d psql_app.orders
\d psql_app.orders_pkey
\d psql_app.big_orders
\d psql_app.nosuch
\dx
\x on
SELECT id, customer, total FROM psql_app.orders ORDER BY id;
\x off
SELECT id, total FROM psql_app.big_orders;
\copy psql_app.orders (id, customer, total) FROM 'orders.csv' WITH (FORMAT csv, HEADER true)
\copy (SELECT id, customer, total FROM psql_app.orders ORDER BY id) TO STDOUT WITH (FORMAT csv)
SELEC 1;
