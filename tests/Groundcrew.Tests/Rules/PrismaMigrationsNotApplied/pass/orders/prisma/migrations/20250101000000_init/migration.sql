CREATE TABLE "Order" ("id" TEXT NOT NULL, "status" TEXT NOT NULL, CONSTRAINT "Order_pkey" PRIMARY KEY ("id"));
