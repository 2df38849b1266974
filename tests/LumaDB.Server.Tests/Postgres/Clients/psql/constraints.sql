CREATE SCHEMA psql_con;
CREATE TABLE psql_con.cust (id int PRIMARY KEY, email text UNIQUE, name text, CONSTRAINT cust_name_uq UNIQUE (name));
CREATE TABLE psql_con.ord (id int PRIMARY KEY, cust_id int REFERENCES psql_con.cust ON DELETE CASCADE,
  email text REFERENCES psql_con.cust (email) ON UPDATE CASCADE ON DELETE SET NULL, note text);
CREATE TABLE psql_con.item (ord_id int REFERENCES psql_con.ord, line int, PRIMARY KEY (ord_id, line));
INSERT INTO psql_con.cust VALUES (1, 'a@x', 'ann'), (2, 'b@x', 'bob');
INSERT INTO psql_con.cust VALUES (3, 'a@x', 'cid');
INSERT INTO psql_con.cust VALUES (3, 'c@x', 'ann');
INSERT INTO psql_con.cust VALUES (3, 'a@x', 'cid') ON CONFLICT (email) DO UPDATE SET name = excluded.name;
INSERT INTO psql_con.cust VALUES (4, 'd@x', 'cid') ON CONFLICT DO NOTHING;
INSERT INTO psql_con.ord VALUES (10, 1, 'a@x', 'first');
INSERT INTO psql_con.ord VALUES (11, 3, NULL, 'no such customer');
INSERT INTO psql_con.ord VALUES (12, NULL, 'zz@x', 'no such email');
INSERT INTO psql_con.ord VALUES (12, NULL, NULL, 'nobody');
INSERT INTO psql_con.item VALUES (10, 1), (12, 1);
INSERT INTO psql_con.item VALUES (13, 1);
DELETE FROM psql_con.ord WHERE id = 10;
UPDATE psql_con.cust SET email = 'aa@x' WHERE id = 1;
SELECT * FROM psql_con.ord ORDER BY id;
DELETE FROM psql_con.cust WHERE id = 2;
UPDATE psql_con.cust SET id = 5;
\d psql_con.ord
\d psql_con.cust
SELECT conname, contype, confupdtype, confdeltype, pg_get_constraintdef(oid)
  FROM pg_constraint WHERE connamespace = 'psql_con'::regnamespace ORDER BY conname;
TRUNCATE psql_con.cust;
ALTER TABLE psql_con.ord DROP CONSTRAINT ord_email_fkey;
DROP TABLE psql_con.cust;
CREATE TABLE psql_con.node (id int PRIMARY KEY, parent int REFERENCES psql_con.node ON DELETE CASCADE);
INSERT INTO psql_con.node VALUES (2, 1), (1, NULL);
INSERT INTO psql_con.node VALUES (3, 2), (4, 3), (5, 1);
DELETE FROM psql_con.node WHERE id = 2;
SELECT * FROM psql_con.node ORDER BY id;
ALTER TABLE psql_con.item ADD CONSTRAINT item_line_fk FOREIGN KEY (line) REFERENCES psql_con.node (id);
INSERT INTO psql_con.node VALUES (7, NULL);
ALTER TABLE psql_con.item ADD CONSTRAINT item_line_fk FOREIGN KEY (line) REFERENCES psql_con.node (id);
ALTER TABLE psql_con.item RENAME COLUMN line TO ln;
ALTER TABLE psql_con.node RENAME TO tree;
\d psql_con.item
CREATE TABLE psql_con.bad (a text REFERENCES psql_con.tree);
CREATE TABLE psql_con.bad (a int REFERENCES psql_con.item (ln));
DROP TABLE psql_con.ord;
DROP TABLE psql_con.ord CASCADE;
\d psql_con.item
