package text

import (
	"strings"

	"github.com/kljensen/snowball/hungarian"
	"github.com/kljensen/snowball/norwegian"
	"github.com/kljensen/snowball/russian"
	"github.com/kljensen/snowball/spanish"
	"github.com/kljensen/snowball/swedish"
)

// Stop words of languages snowball has no stemmer for: without them the
// most frequent "terms" of a German or Portuguese feed are "den" and "não".
var (
	germanStop = set(`aber alle allem allen aller alles als also am an ander andere anderem anderen
		anderer anderes auch auf aus bei beim bereits bin bis bist da damit dann das dass dem den denn der
		des dich die dies diese diesem diesen dieser dieses dir doch dort du durch ein eine einem einen
		einer eines er es etwa etwas euch für gegen gibt hab habe haben hat hatte hier hin hinter ich ihm
		ihn ihnen ihr ihre ihren im in indem ins ist jede jedem jeden jeder jedes jetzt kann kein keine
		können man manche mehr mein mit muss nach nicht nichts noch nun nur ob oder ohne schon sehr sei
		sein seine seit sich sie sind so soll sollen sondern sowie über um und uns unter viel vom von vor
		war waren was weil welche wenn werden wie wieder will wir wird wo wurde wurden zu zum zur zwischen`)
	portugueseStop = set(`a ao aos as às até com como da das de dela dele deles depois do dos e é ela elas
		ele eles em entre era essa esse esta está estão este eu foi for foram há isso isto já la lhe mais
		mas me mesmo meu minha muito na nas não nem no nos nós o os ou para pela pelas pelo pelos por
		qual quando que quem se sem ser seu seus só sua suas também te tem têm um uma umas uns vai vão
		você diz sobre após ainda`)
	italianStop = set(`a ad agli ai al alla alle anche che chi ci come con cui da dal dalla dei del della
		delle di dove e è ed era gli ha hanno i il in io la le lei lo loro lui ma mi ne negli nei nel
		nella non o per più poi quale quando questa queste questi questo se sei si sia sono su sua sue
		sui suo tra un una uno`)
	dutchStop = set(`aan al als bij dan dat de der deze die dit doch door een en er geen had heb heeft
		het hij hoe hun ik in is je kan maar me meer men met mij na naar niet nog nu of om omdat ons ook
		op over te tot uit van veel voor was wat we wel werd wie wij worden zal ze zich zij zijn zo zou`)
)

func set(words string) func(string) bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return func(w string) bool { return m[w] }
}

// stopLists are the stop-word tests per ISO 639-1 code, for stop-word
// removal and for language detection.
var stopLists = map[string]func(string) bool{
	"en": isEnglishStop, "fr": isFrenchStop, "es": spanish.IsStopWord, "ru": russian.IsStopWord,
	"sv": swedish.IsStopWord, "no": norwegian.IsStopWord, "hu": hungarian.IsStopWord,
	"de": germanStop, "pt": portugueseStop, "it": italianStop, "nl": dutchStop,
}

// detectOrder fixes the order languages are tried in, so ties resolve the
// same way every time.
var detectOrder = []string{"en", "de", "fr", "es", "pt", "it", "nl", "sv", "no", "ru", "hu"}

// DetectLanguage guesses the language of a text by the share of its words
// that are stop words of each language it knows, and returns the ISO 639-1
// code, or "" when the text is too short or no language stands out. Feeds
// that leave their language out need it: stemming German as English
// makes worse features than not stemming at all.
func DetectLanguage(s string) string {
	ws := words(s)
	if len(ws) > 20000 {
		ws = ws[:20000]
	}
	if len(ws) < 20 {
		return ""
	}
	best, second, lang := 0, 0, ""
	for _, code := range detectOrder {
		stop := stopLists[code]
		hits := 0
		for _, w := range ws {
			if stop(w) {
				hits++
			}
		}
		switch {
		case hits > best:
			best, second, lang = hits, best, code
		case hits > second:
			second = hits
		}
	}
	// Function words make up a third to a half of running text; a tenth
	// with a clear lead over the runner-up is a safe call.
	if best*10 < len(ws) || best*4 < second*5 {
		return ""
	}
	return lang
}
