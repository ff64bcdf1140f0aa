import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { TaskStatus, Priority } from './task-status';

@Schema()
export class TaskDocument {
  @Prop({ required: true, enum: TaskStatus })
  status: TaskStatus;

  @Prop({ enum: Priority, default: null })
  priority: Priority | null;

  @Prop({ enum: ['low', 'high'] })
  level: string;

  @Prop({ type: [String], enum: TaskStatus })
  history: TaskStatus[];
}

export const TaskSchema = SchemaFactory.createForClass(TaskDocument);
