import { Pool } from "pg";

const config = JSON.parse(process.env.DB_CONFIG!);
const { user, port = 5432 } = config;

export const pool = new Pool({
  host: process.env.DB_HOST,
  port,
  user,
  password: config.password,
});
