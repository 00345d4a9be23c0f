"""The gauges of `/metrics` read from the database at each scrape (ADR 0080), beside the counters each
process keeps (`torelik.core.observability`). Read at the scrape, not kept in a process, they say the same
whichever web process answers and whatever the workers did."""

from collections.abc import Iterator

from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from torelik.operations import queries


class DatabaseCollector(Collector):
    def collect(self) -> Iterator[Metric]:
        depth = GaugeMetricFamily(
            "torelik_task_queue_depth",
            "Background tasks by task and state (waiting, retrying, running, failed).",
            labels=["task", "state"],
        )
        age = GaugeMetricFamily(
            "torelik_task_queue_oldest_seconds",
            "Age of the oldest task of each task and state, since enqueued.",
            labels=["task", "state"],
        )
        for queue in queries.task_queues():
            depth.add_metric([queue.task, queue.state], queue.depth)
            age.add_metric([queue.task, queue.state], queue.oldest_seconds)
        yield depth
        yield age

        draws = GaugeMetricFamily(
            "torelik_draws_waiting",
            "Draws committed and waiting for the beacon (committed) or for an eligible judge (waiting).",
            labels=["status"],
        )
        draws_age = GaugeMetricFamily(
            "torelik_draws_waiting_oldest_seconds",
            "Age of the oldest waiting draw, since committed.",
            labels=["status"],
        )
        for waiting in queries.draws_waiting():
            draws.add_metric([waiting.label], waiting.count)
            draws_age.add_metric([waiting.label], waiting.oldest_seconds)
        yield draws
        yield draws_age

        waiting_messages, ages = queries.messages_waiting()
        outbox = GaugeMetricFamily(
            "torelik_messages_waiting",
            "Outbox messages queued or being handed over, by channel.",
            labels=["channel", "status"],
        )
        for row in waiting_messages:
            outbox.add_metric([row.channel, row.status], row.count)
        yield outbox
        oldest = GaugeMetricFamily(
            "torelik_messages_queued_oldest_seconds",
            "Age of the oldest queued message, by channel.",
            labels=["channel"],
        )
        for channel, seconds in ages.items():
            oldest.add_metric([channel], seconds)
        yield oldest
        day = GaugeMetricFamily(
            "torelik_messages_last_day",
            "Messages queued in the last 24 hours by channel and where they stand "
            "(queued, sent, delivered, failed, expired).",
            labels=["channel", "status"],
        )
        for row in queries.messages_of_last_day():
            day.add_metric([row.channel, row.status], row.count)
        yield day

        lag = queries.delivery_report_lag()
        yield GaugeMetricFamily(
            "torelik_sms_delivery_reports_awaited",
            "SMS handed to the gateway and still without a delivery report.",
            value=lag.awaited,
        )
        yield GaugeMetricFamily(
            "torelik_sms_delivery_report_oldest_awaited_seconds",
            "Seconds since the oldest SMS still awaiting its delivery report was handed over.",
            value=lag.oldest_awaited_seconds,
        )
        yield GaugeMetricFamily(
            "torelik_sms_delivery_report_lag_seconds",
            "Mean seconds from hand-over to delivery report of the SMS delivered in the last hour.",
            value=lag.last_hour_mean_seconds,
        )

        log = queries.log_append_lag()
        yield GaugeMetricFamily(
            "torelik_log_pending_entries",
            "Entries written with their facts, not yet appended to the transparency log.",
            value=log.pending,
        )
        yield GaugeMetricFamily(
            "torelik_log_append_lag_seconds",
            "Age of the oldest entry waiting to be appended to the log.",
            value=log.oldest_pending_seconds,
        )
        checkpoint = GaugeMetricFamily(
            "torelik_log_checkpoint_age_seconds",
            "Seconds since the newest signed checkpoint of the log (no sample before the first).",
        )
        if log.last_checkpoint_seconds is not None:
            checkpoint.add_metric([], log.last_checkpoint_seconds)
        yield checkpoint
        yield GaugeMetricFamily(
            "torelik_workers_alive", "Worker processes seen within the last minute.", value=queries.workers_alive()
        )
