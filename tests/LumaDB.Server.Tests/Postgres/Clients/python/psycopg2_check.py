"""psycopg2 with its default settings: DDL, parameters, a committed and a rolled-back transaction."""
import sys

import psycopg2

conn = psycopg2.connect(host="127.0.0.1", port=int(sys.argv[1]), user="luma", dbname="luma")
cur = conn.cursor()
cur.execute("CREATE TABLE py_client_items (id int PRIMARY KEY, name text, price numeric, day date)")
cur.execute("INSERT INTO py_client_items VALUES (%s, %s, %s, %s)", (1, "apple", 1.25, "2024-02-29"))
cur.execute("INSERT INTO py_client_items VALUES (%s, %s, %s, %s)", (2, "pear's", 2.5, None))
conn.commit()
print("committed", cur.rowcount)
cur.execute("DELETE FROM py_client_items WHERE id = %s", (1,))
print("deleted", cur.rowcount)
conn.rollback()
cur.execute("SELECT id, name, price, day FROM py_client_items WHERE id >= %s ORDER BY id", (1,))
for row in cur.fetchall():
    print(row)
try:
    cur.execute("SELECT * FROM py_missing")
except psycopg2.Error as e:
    print(e.pgcode, e.pgerror.splitlines()[0])
    conn.rollback()
conn.close()
