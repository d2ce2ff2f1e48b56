package graph

import "context"

// FeedPage is a page of the change feed for one reader: the events it may read, the cursor to
// read on from (after the last event looked at: those the reader may not read are passed
// over), and whether more may follow.
type FeedPage struct {
	Events []*ChangeEvent
	Next   int64 // -1 when nothing was looked at and no cursor was given
	More   bool
}

// FeedReader reads the feed: the events after a cursor, oldest first (a negative cursor: from
// the oldest kept).
type FeedReader func(ctx context.Context, after int64, limit int) ([]*ChangeEvent, error)

// maxScan bounds how many events one page looks at for a reader of a few systems.
const maxScan = 20_000

// ReadFeed reads up to limit events after a cursor whose records come from the systems (nil:
// every record).
func ReadFeed(ctx context.Context, read FeedReader, after int64, limit int, systems []string) (FeedPage, error) {
	page := FeedPage{Next: after}
	chunk := limit + 1
	if systems != nil {
		chunk = max(chunk, 1000)
	}
	for scanned := 0; scanned < maxScan; {
		events, err := read(ctx, page.Next, chunk)
		if err != nil {
			return page, err
		}
		for _, e := range events {
			if !FromSystems(e.Source, systems) {
				page.Next = e.Seq
				continue
			}
			if len(page.Events) == limit {
				page.More = true
				return page, nil
			}
			page.Events = append(page.Events, e)
			page.Next = e.Seq
		}
		scanned += len(events)
		if len(events) < chunk {
			return page, nil
		}
	}
	page.More = true
	return page, nil
}
