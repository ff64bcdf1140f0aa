import { Pool } from "pg";

const config = JSON.parse(process.env.DB_CONFIG!);
const { host, user, port = 5432 } = config;

export const pool = new Pool({
  host,
  port,
  user,
  password: config.password,
  database: config.database,
});
