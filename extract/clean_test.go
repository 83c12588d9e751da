package extract

import (
	"strings"
	"testing"
)

func TestCleanBodyFurniture(t *testing.T) {
	a := &Article{URL: "https://www.example.com/news/article/Harbour-plan-1234.php?src=rss", Authors: []string{"Jane Doe"}}
	tests := []struct {
		name, in, want string
	}{
		{"the page's own address", "https://example.com/news/article/Harbour-plan-1234.php\n\nThe council met.", "The council met."},
		{"a cited address stays", "The council met.\n\nhttp://amzn.to/2hXQPDr\n\nMore text.", "The council met.\n\nhttp://amzn.to/2hXQPDr\n\nMore text."},
		{"a follow line", "The council met.\n\nFollow Newsbeat on Instagram, Facebook, Twitter and YouTube.\n\nMore text.", "The council met.\n\nMore text."},
		{"a follow sentence that is text", "The council met.\n\nFollow the money, the mayor said.", "The council met.\n\nFollow the money, the mayor said."},
		{"a Reuters sign-off", "The council met.\n\nThe vote is in May.\n\n(Reporting by Jane Doe; Editing by John Smith)", "The council met.\n\nThe vote is in May."},
		{"an AP sign-off", "The council met.\n\nAssociated Press writer Kevin Lam in Miami contributed to this report.", "The council met."},
		{"additional reporting", "The council met.\n\nAdditional reporting by Ann Lee", "The council met."},
		{"a sign-off inside the text stays", "Reporting by the council's auditors found gaps in the plan, which the mayor disputed.\n\nThe vote is in May.", "Reporting by the council's auditors found gaps in the plan, which the mayor disputed.\n\nThe vote is in May."},
		{"filed under", "The council met.\n\nFiled under: Local |", "The council met."},
		{"advert", "The council met.\n\nAdvert\n\nMore text.", "The council met.\n\nMore text."},
		{"a bracketed related link", "The council met.\n\n[Related: Harbour board quits]\n\nMore text.", "The council met.\n\nMore text."},
		{"a picture agency credit", "Jane Smith | Bloomberg | Getty Images\n\nThe council met.", "The council met."},
		{"a newsletter invitation", "The council met.\n\nNever miss a story: sign up for our free daily newsletter.\n\nMore text.", "The council met.\n\nMore text."},
		{"a gallery counter", "Image 1 of 6\n\nThe council met.\n\nImage\nof\n/", "The council met."},
		{"a link promo", "The council met.\n\nFollow our full coverage of the harbour at https://example.com/harbour\n\nMore local news: https://example.com/local", "The council met."},
		{"a press release's contact stays", "The council met.\n\nFor more information on the plan, please visit: www.example.org", "The council met.\n\nFor more information on the plan, please visit: www.example.org"},
		{"a widget heading", "The council met.\n\nRECENT ARTICLES\n\nMore text.", "The council met.\n\nMore text."},
		{"a short line repeated in a list stays", "Monday\n\nEat 60 to 90 minutes before your workout.\n\nTuesday\n\nEat 60 to 90 minutes before your workout.",
			"Monday\n\nEat 60 to 90 minutes before your workout.\n\nTuesday\n\nEat 60 to 90 minutes before your workout."},
		{"a long paragraph printed twice is kept once", strings.Repeat("The council met on Tuesday to weigh the plan, which would move the market to the old harbour and add two bus routes.\n\n", 2) + "More text.",
			"The council met on Tuesday to weigh the plan, which would move the market to the old harbour and add two bus routes.\n\nMore text."},
		{"a copyright line", "The council met.\n\nThe contents of this site are ©2019 Harbour Publishing Corp.", "The council met."},
		// Sentences that look like furniture and are not (from a review).
		{"a sentence opening like a sign-off stays", "The council met.\n\nReporting by ProPublica found the agency ignored the warnings for years.",
			"The council met.\n\nReporting by ProPublica found the agency ignored the warnings for years."},
		{"filed under seal stays", "Filed under seal in March, the indictment was unsealed on Friday.", "Filed under seal in March, the indictment was unsealed on Friday."},
		{"a sentence about a picture agency stays", "Getty Images said on Tuesday it would merge with Shutterstock.", "Getty Images said on Tuesday it would merge with Shutterstock."},
		{"a sentence ending in a picture agency stays", "Shutterstock agreed on Tuesday to a merger with Getty Images.", "Shutterstock agreed on Tuesday to a merger with Getty Images."},
		{"a sentence about HTTP stays", "More than half of all websites now support HTTP/3, the survey found.", "More than half of all websites now support HTTP/3, the survey found."},
		{"a sentence with a petition address stays", "More than 200 people signed the petition at www.change.org.", "More than 200 people signed the petition at www.change.org."},
		{"a sentence about inboxes stays", "The phishing emails, delivered to inboxes across the country, asked for passwords.", "The phishing emails, delivered to inboxes across the country, asked for passwords."},
		{"follow the money stays", "Follow the money: Facebook and Instagram spent $20m on the campaign.", "Follow the money: Facebook and Instagram spent $20m on the campaign."},
		{"a copyright sign inside a sentence stays", "The album, released under © Harbour Music, topped the charts.", "The album, released under © Harbour Music, topped the charts."},
		{"a sentence about a newsletter stays", "The council met.\n\nThe council's newsletter reported the vote in May, weeks before the paper did.", "The council met.\n\nThe council's newsletter reported the vote in May, weeks before the paper did."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cleanBody(tt.in, a, nil); got != tt.want {
				t.Errorf("cleanBody:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestTrimTail(t *testing.T) {
	story := []string{"The council met on Tuesday to weigh the plan, which would move the market.", "Traders said the move would cost them a season."}
	tests := []struct {
		name string
		tail []string
		keep int // paragraphs of tail that stay
	}{
		{"post metadata", []string{"Posted in Politics, Local | 7 Comments"}, 0},
		{"post metadata with a colon", []string{"Posted in: Fantasy |"}, 0},
		{"a contact note", []string{"Write to Jane Doe at jane.doe@example.com"}, 0},
		{"an instruction naming an address stays", []string{"For subscribers, log in to the Subscriber Area, go to Settings and add kindle@example.com to your Kindle's approved list and you'll be all set."}, 1},
		{"entry footer", []string{"This entry was posted on Monday, October 15th, 2012 at 4:48 pm and posted in Life."}, 0},
		{"menu items", []string{"Featured Content", "PHOTOS OF THE DAY", "JUMP TO:"}, 0},
		{"a short label", []string{"Permalink"}, 0},
		{"author box", []string{"About the Author", "Pearl Higgins is a communications specialist. She likes tea.", "Previous post"}, 0},
		{"named author box", []string{"Written by Benjamin Starr", "Benjamin Starr once saved a family of muskrats from a steamboat."}, 0},
		{"a closing sentence stays", []string{"The vote is on Friday."}, 1},
		{"a closing question stays", []string{"Will it pass?"}, 1},
		{"a longer closing line without a full stop stays", []string{"More details are expected from the board later this week"}, 1},
		{"a bio of someone not named in the box stays", []string{"Written by Benjamin Starr", "The market will move in spring, the board said on Tuesday."}, 2},
	}
	for _, tt := range tests {
		in := append(append([]string{}, story...), tt.tail...)
		got := trimTail(in, []string{"Jane Doe"})
		if want := len(story) + tt.keep; len(got) != want {
			t.Errorf("%s: kept %d paragraphs %q, want %d", tt.name, len(got), got, want)
		}
	}
}
