import { connect } from 'mongoose';

export async function connectDb() {
  if (!process.env.DATABASE_URL) {
    throw new Error('DATABASE_URL is required');
  }
  await connect(process.env.DATABASE_URL);
}

export const port = Number(process.env.PORT) || 8080;
