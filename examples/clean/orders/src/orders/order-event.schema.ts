import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { OrderStatus } from './order-status';

@Schema({ collection: 'order_events', timestamps: true })
export class OrderEventDocument {
  @Prop({ required: true })
  orderId: string;

  @Prop({ required: true, type: String, enum: OrderStatus })
  status: OrderStatus;
}

export const OrderEventSchema = SchemaFactory.createForClass(OrderEventDocument);
