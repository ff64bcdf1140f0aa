import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument } from 'mongoose';
import { TaskStatus } from '../../../domain/task-status.enum';

@Schema({ _id: false })
export class ExecutionTaskDocument {
  @Prop({ required: true })
  description: string;

  // A5: `enum` without `type`: @nestjs/mongoose cannot determine the schema type at start.
  @Prop({ required: true, enum: TaskStatus })
  status: TaskStatus;
}

export const ExecutionTaskSchema = SchemaFactory.createForClass(ExecutionTaskDocument);

@Schema({ collection: 'executions', timestamps: true })
export class ExecutionDocument {
  @Prop({ required: true, index: true })
  orderId: string;

  @Prop({ type: String, enum: TaskStatus, default: TaskStatus.PENDING })
  status: TaskStatus;

  @Prop({ type: [ExecutionTaskSchema], default: [] })
  tasks: ExecutionTaskDocument[];
}

export type ExecutionDocumentHydrated = HydratedDocument<ExecutionDocument>;
export const ExecutionSchema = SchemaFactory.createForClass(ExecutionDocument);
