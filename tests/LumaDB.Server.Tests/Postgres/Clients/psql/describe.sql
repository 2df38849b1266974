CREATE SCHEMA psql_app;
CREATE TABLE psql_app.orders (id int PRIMARY KEY, customer text NOT NULL, total numeric);
CREATE INDEX orders_customer_idx ON psql_app.orders (customer);
CREATE VIEW psql_app.big_orders AS SELECT id, total FROM psql_app.orders WHERE total > 100;
INSERT INTO psql_app.orders VALUES (1, 'ada', 250), (2, 'bob', 20);
\dn
\dt psql_app.*
\di psql_app.*
\dv psql_app.*
\x on
SELECT * FROM psql_app.orders ORDER BY id;
\x off
SELECT id, total FROM psql_app.big_orders;
SELEC 1;
